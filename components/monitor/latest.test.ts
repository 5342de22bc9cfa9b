import { describe, expect, it } from 'vitest';
import { latestText, latestValues } from './latest';

describe('latest figure of each series', () => {
  it('a series that stopped reporting while the others go on says so, not its old value', () => {
    const l = latestValues([{ values: [40, 41, null, null] }, { values: [40, 60, 98, null] }, { values: [40, 60, 97, null] }]);
    expect(l.map((x) => latestText(x, '%'))).toEqual(['not reporting', '98%', '97%']);
  });

  it('the minute nobody has published yet does not count', () => {
    const l = latestValues([{ values: [40, 41, null] }, { values: [50, 52, null] }]);
    expect(l.map((x) => latestText(x, '%'))).toEqual(['41%', '52%']);
  });

  it('a series that never had data, and a chart with no data at all', () => {
    expect(latestValues([{ values: [null, null] }, { values: [1, 2] }]).map((x) => latestText(x, ''))).toEqual(['no data', '2']);
    expect(latestValues([{ values: [] }, { values: [null] }]).map((x) => x.kind)).toEqual(['no-data', 'no-data']);
  });

  it('a zero is a value', () => {
    expect(latestText(latestValues([{ values: [3, 0] }])[0], ' pods')).toBe('0 pods');
  });
});
