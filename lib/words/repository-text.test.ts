import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { INTERNAL_REFERENCES } from './internal-references';

/**
 * The repository ships to users as a clone, so every text file it tracks —
 * code and its comments, test names, config, Prisma schemas, infra/, docs —
 * names no internal document, erratum code, issue number, section of an absent
 * document, constraint code of the architecture it was given, or ADR.
 * (source-strings.test.ts checks only the text the product shows; this checks
 * everything a reader of the clone can see.) Source file paths are fine in
 * code, so that rule of INTERNAL_REFERENCES is not applied.
 */
const RULES = new Set(['internal document', 'erratum code', 'issue number', 'section sign', 'architecture reference', 'ADR reference']);
const PATTERNS = INTERNAL_REFERENCES.filter((r) => RULES.has(r.name));

const ROOT = join(__dirname, '..', '..');

/** Not scanned: Azure's own example answers, quoted as Azure wrote them, and npm's lock file. */
const NOT_OURS = [/^lib\/twin\/fixtures\//, /^package-lock\.json$/];

/** The files that define the patterns and prove them on samples: they must spell out what they look for. */
const DEFINES_THE_PATTERNS = ['lib/words/internal-references.ts', 'lib/words/source-strings.test.ts', 'lib/words/repository-text.test.ts'];


/** Every internal reference in one file's text, as `path:line rule "match" in: the line`. */
export function scanText(path: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) =>
    PATTERNS.flatMap(({ name, pattern }) =>
      [...line.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].map(
        (m) => `${path}:${i + 1} ${name} "${m[0]}" in: ${line.trim().slice(0, 160)}`,
      ),
    ),
  );
}

/** A file is text unless its first 8 KiB hold a NUL byte (PNG, fonts and the like). */
function isText(bytes: Buffer): boolean {
  return !bytes.subarray(0, 8192).includes(0);
}

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter((p) => p !== '');
}

describe('text anywhere in the repository', () => {
  it('the scanner catches internal references in a comment, and leaves public ones alone', () => {
    const sample = ['const port = process.env.E2E_PORT;', '// §4.2 as corrected by SEED-ERRATA E3 (issue 7)', "const accent = '#0f766e'; // Azure/AKS#5356"].join('\n');
    const found = scanText('sample.ts', sample);
    expect(found.map((f) => f.split(' ')[0])).toEqual(['sample.ts:2', 'sample.ts:2', 'sample.ts:2', 'sample.ts:2']);
    expect(found.map((f) => /^\S+ (.+?) "/.exec(f)?.[1]).sort()).toEqual(['erratum code', 'internal document', 'issue number', 'section sign']);
    expect(scanText('adr.md', 'decided in ADR-019')).toEqual(['adr.md:1 ADR reference "ADR-019" in: decided in ADR-019']);
    expect(scanText('rules.ts', "id: 'C10', // the budget")).toEqual([`rules.ts:1 architecture reference "C10" in: id: 'C10', // the budget`]);
    for (const ok of ['E2E_PORT', 'E2E', '#0f766e', 'Azure/AKS#5356', 'contract rule budget-and-power-down', 'asm-1-30', "patch path '/spec/unschedulable'"])
      expect(scanText('ok.ts', ok), ok).toEqual([]);
  });

  it('no tracked text file names an internal document, erratum, issue number, section or ADR', () => {
    const skipped = new Set(DEFINES_THE_PATTERNS);
    const files = trackedFiles().filter((p) => !NOT_OURS.some((r) => r.test(p)) && !skipped.has(p));
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((path) => {
      const full = join(ROOT, path);
      if (!existsSync(full) || !statSync(full).isFile()) return []; // deleted in the work tree, or a submodule
      const bytes = readFileSync(full);
      return isText(bytes) ? scanText(path, bytes.toString('utf8')) : [];
    });
    expect(problems).toEqual([]);
  });
});
