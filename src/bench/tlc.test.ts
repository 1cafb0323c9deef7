import { describe, expect, it } from 'vitest';
import { median, parseTlcSummary } from './tlc.js';

describe('TLC output', () => {
  it("reads the final summary's counts", () => {
    const out = 'Model checking completed. No error has been found.\n1361380 states generated, 185369 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 25.\n';
    expect(parseTlcSummary(out)).toEqual({ generated: 1_361_380, distinct: 185_369 });
    expect(parseTlcSummary('1,361,380 states generated, 185,369 distinct states found, 0 states left on queue.')).toEqual({ generated: 1_361_380, distinct: 185_369 });
  });
  it('has no summary for an unfinished run', () => {
    expect(parseTlcSummary('Progress(9): 8,541 states generated, 2,542 distinct states found, 1,513 states left on queue.')).toBeUndefined();
  });
  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
