import { readFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryFiles } from './outside-reads';

const ROOT = resolve(__dirname, '..');

/**
 * Where a caught error's own message reaches what a page or an action returns:
 * `err.message`, `(err as Error).message` or `String(err)` on a `catch`
 * binding. The UI layer shows the product's typed errors only, through
 * `toUserError` (lib/errors.ts), which never leaks an unknown error's text.
 */
export function rawErrorMessages(file: string, text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/catch\s*\(\s*\(?\s*(\w+)/g)) names.add(m[1]);
  const found: string[] = [];
  for (const name of names) {
    const raw = new RegExp(`\\(\\s*${name}\\s+as\\s+\\w+\\s*\\)\\.message|(?<![\\w.])${name}\\.message\\b|String\\(\\s*${name}\\s*\\)`, 'g');
    for (const m of text.matchAll(raw)) found.push(`${file}: ${m[0]}`);
  }
  return found;
}

describe('the UI shows only the product’s typed errors', () => {
  it('the scan finds a raw message where one is shown', () => {
    expect(rawErrorMessages('a.ts', 'try { x(); } catch (e) { return { error: (e as Error).message }; }')).toEqual(['a.ts: (e as Error).message']);
    expect(rawErrorMessages('b.ts', 'p.catch((err: unknown) => ({ reason: String(err) }))')).toEqual(['b.ts: String(err)']);
    expect(rawErrorMessages('c.ts', 'p.catch((err) => ({ reason: toUserError(err).message }))')).toEqual([]);
  });

  it('no page, view, route or action shows a caught error’s own message', () => {
    const files = repositoryFiles(ROOT).filter((f) => (f.startsWith(`app${sep}`) || f.startsWith(`components${sep}`)) && ['.ts', '.tsx'].includes(extname(f)) && !/\.test\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => rawErrorMessages(f.split(sep).join('/'), readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });
});
