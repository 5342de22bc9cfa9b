import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { findInternalReferences } from './internal-references';

/**
 * Fails fast, before any page is crawled: the text the product can show or log
 * — string literals, template text and JSX text under app/, components/ and
 * lib/ — names no internal document, erratum code, issue number, section of an
 * absent document, or source file. Comments are not scanned here.
 */
const ROOTS = ['app', 'components', 'lib'];
/**
 * Not the product's text: Prisma's generated client (it embeds the schema's
 * comments), the test harness, the architecture contract that infra/'s tests
 * check (its rule ids are the architecture's own constraint names), and the
 * twin, which stands in for Azure and answers with Azure's wording.
 */
const NOT_PRODUCT_TEXT = ['lib/db/generated', 'lib/domain/contract', 'lib/twin'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return NOT_PRODUCT_TEXT.includes(relative('.', path)) ? [] : sourceFiles(path);
    return /\.(tsx?|mjs)$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The user-visible text of one file: every string literal, template piece and JSX text, with its line. */
export function textsOf(path: string, source = readFileSync(path, 'utf8')): { line: number; text: string }[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    // Module specifiers are code, not text.
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isJsxText(node)) out.push(at(node, node.text));
    else if (ts.isTemplateExpression(node)) {
      out.push(at(node.head, node.head.text));
      for (const span of node.templateSpans) out.push(at(span.literal, span.literal.text));
    }
    ts.forEachChild(node, visit);
  };
  const at = (node: ts.Node, text: string) => ({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
  visit(file);
  return out;
}

describe('text the product shows', () => {
  it('the scanner sees strings, template text and JSX text, and not comments', () => {
    const sample = [
      "// SEED-ERRATA E1 in a comment is not shown",
      "const a = 'see §4.2';",
      'const b = `E12: ${x} (issue 13)`;',
      'const c = <p>Modelled (lib/domain/cost.ts) — C10</p>;',
    ].join('\n');
    const found = textsOf('sample.tsx', sample).flatMap((t) => findInternalReferences(t.text).map((f) => f.rule));
    expect(found.sort()).toEqual(['architecture reference', 'erratum code', 'issue number', 'section sign', 'source file path'].sort());
  });

  it('public references stay allowed', () => {
    for (const ok of ['start/stop for NAP clusters is still an open request (Azure/AKS#5356)', 'E2E_PORT', '#0f766e', 'C++', 'asm-1-30', 'infra/addons/install.sh']) {
      expect(findInternalReferences(ok), ok).toEqual([]);
    }
  });

  it('no string under app/, components/ or lib/ names an internal reference', () => {
    const problems = ROOTS.flatMap(sourceFiles).flatMap((path) =>
      textsOf(path).flatMap(({ line, text }) => findInternalReferences(text).map((f) => `${relative('.', path)}:${line} ${f.rule} "${f.match}" in "${f.context}"`)),
    );
    expect(problems).toEqual([]);
  });
});
