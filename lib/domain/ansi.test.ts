import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from './ansi';

describe('ANSI → segments', () => {
  it('plain text is one unstyled segment', () => {
    expect(parseAnsi('hello').segments).toEqual([{ text: 'hello', style: {} }]);
  });
  it('colours, bold, reset (tofu style)', () => {
    const { segments } = parseAnsi('\u001b[32m\u001b[1mApply complete!\u001b[0m Resources: 1 added');
    expect(segments).toEqual([{ text: 'Apply complete!', style: { fg: 'green', bold: true } }, { text: ' Resources: 1 added', style: {} }]);
  });
  it('bright and background colours, 256-colour standard entries, default fg', () => {
    expect(parseAnsi('\u001b[91;44mx\u001b[39my').segments).toEqual([{ text: 'x', style: { fg: 'bright-red', bg: 'blue' } }, { text: 'y', style: { bg: 'blue' } }]);
    expect(parseAnsi('\u001b[38;5;3mz').segments).toEqual([{ text: 'z', style: { fg: 'yellow' } }]);
  });
  it('carries the style to the next line and drops other escape sequences', () => {
    const first = parseAnsi('\u001b[33mwarn');
    expect(parseAnsi('still\u001b[K yellow', first.state).segments).toEqual([{ text: 'still yellow', style: { fg: 'yellow' } }]);
    expect(stripAnsi('\u001b[1;31mError\u001b[0m: x')).toBe('Error: x');
  });
});
