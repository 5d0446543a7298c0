import { describe, expect, it } from 'vitest';
import { exponent, exponentRange, slopeVerdict } from '../../../bench/scaling';

describe('scaling benchmark slope', () => {
  it('is 1 for linear, 2 for quadratic growth, from the second point on', () => {
    expect(exponent([10, 20, 80], [500, 20, 80])).toBeCloseTo(1, 5);
    expect(exponent([10, 20, 80], [1, 40, 640])).toBeCloseTo(2, 5);
  });

  it('floors sub-millisecond times at 1 ms and uses both points when there are only two', () => {
    expect(exponent([1, 10], [0.01, 10])).toBeCloseTo(1, 5);
  });
});

describe('scaling benchmark verdict', () => {
  it('spans the slopes the fastest and slowest runs allow', () => {
    const range = exponentRange([10, 20, 80], [1, 18, 60], [1, 22, 100]);
    expect(range.low).toBeCloseTo(Math.log(60 / 22) / Math.log(4), 5);
    expect(range.high).toBeCloseTo(Math.log(100 / 18) / Math.log(4), 5);
  });

  it('is met or missed only when every reading agrees, and not decided when the noise straddles the limit', () => {
    expect(slopeVerdict({ low: 0.9, high: 1.1 }, 1.35)).toBe(true);
    expect(slopeVerdict({ low: 1.5, high: 1.7 }, 1.35)).toBe(false);
    expect(slopeVerdict({ low: 0.9, high: 1.5 }, 1.35)).toBeNull();
    expect(slopeVerdict({ low: 1.1, high: 1.9 }, 1.35)).toBeNull();
  });
});
