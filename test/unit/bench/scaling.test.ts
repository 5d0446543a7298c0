import { describe, expect, it } from 'vitest';
import { exponent } from '../../../bench/scaling';

describe('scaling benchmark slope', () => {
  it('is 1 for linear, 2 for quadratic growth, from the second point on', () => {
    expect(exponent([10, 20, 80], [500, 20, 80])).toBeCloseTo(1, 5);
    expect(exponent([10, 20, 80], [1, 40, 640])).toBeCloseTo(2, 5);
  });

  it('floors sub-millisecond times at 1 ms and uses both points when there are only two', () => {
    expect(exponent([1, 10], [0.01, 10])).toBeCloseTo(1, 5);
  });
});
