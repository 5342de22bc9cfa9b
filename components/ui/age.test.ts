import { describe, expect, it } from 'vitest';
import { formatAge } from './age';

describe('formatAge', () => {
  it.each([
    [4_000, '4 s ago'],
    [125_000, '2 min ago'],
    [3 * 3600_000, '3 h ago'],
    [Infinity, 'at an unknown time'],
    [NaN, 'at an unknown time'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
