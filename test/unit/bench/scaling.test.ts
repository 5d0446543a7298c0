import { describe, expect, it } from 'vitest';
import { exponent, judgeSlope, sampleInterleaved, slopeEstimate, slopeVerdict } from '../../../bench/scaling';

describe('scaling benchmark slope', () => {
  it('is 1 for linear, 2 for quadratic growth, fitted from the second point on', () => {
    expect(exponent([10, 20, 80], [500, 20, 80])).toBeCloseTo(1, 5);
    expect(exponent([10, 20, 80], [1, 40, 640])).toBeCloseTo(2, 5);
    expect(exponent([5, 10, 20, 40, 80], [1, 10, 20, 40, 80])).toBeCloseTo(1, 5);
  });

  it('floors zero readings instead of taking their logarithm, and uses both points when there are only two', () => {
    expect(Number.isFinite(exponent([1, 10], [0, 10]))).toBe(true);
    expect(exponent([1, 10], [1, 10])).toBeCloseTo(1, 5);
  });
});

describe('scaling benchmark verdict', () => {
  it('is met or missed only when the whole range agrees, and not decided when it straddles the limit', () => {
    expect(slopeVerdict({ low: 0.9, high: 1.1 }, 1.35)).toBe(true);
    expect(slopeVerdict({ low: 1.5, high: 1.7 }, 1.35)).toBe(false);
    expect(slopeVerdict({ low: 0.9, high: 1.5 }, 1.35)).toBeNull();
    expect(slopeVerdict({ low: 1.1, high: 1.9 }, 1.35)).toBeNull();
  });

  it('bounds k by a bootstrap that is the same for the same samples and widens with the noise', () => {
    const sizes = [10, 20, 40, 80];
    const quiet = sizes.map((s) => [s, s * 1.01, s * 0.99, s, s * 1.02]);
    const noisy = sizes.map((s) => [s, s * 1.6, s * 0.6, s, s * 1.9]);
    const a = slopeEstimate(sizes, quiet);
    expect(slopeEstimate(sizes, quiet)).toEqual(a);
    expect(a.k).toBeCloseTo(1, 5);
    expect(a.low).toBeLessThanOrEqual(a.k);
    expect(a.high).toBeGreaterThanOrEqual(a.k);
    const b = slopeEstimate(sizes, noisy);
    expect(b.high - b.low).toBeGreaterThan(a.high - a.low);
  });
});

describe('scaling benchmark sampling', () => {
  it('samples every workload once per round after a discarded warm-up round, in an order that changes between rounds', async () => {
    const visits: number[] = [];
    const samples = await sampleInterleaved([0, 1, 2, 3], 3, async (w) => {
      visits.push(w);
      return w;
    });
    expect(samples).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [2, 2, 2],
      [3, 3, 3],
    ]);
    expect(visits).toHaveLength(16);
    const rounds = [visits.slice(4, 8), visits.slice(8, 12), visits.slice(12, 16)];
    expect(new Set(rounds.map((r) => r.join()))).toHaveProperty('size', 3);
  });

  // The whole path the benchmark takes (interleaved samples → fit → bootstrap → verdict), with a
  // clock that counts work units instead of reading time: deterministic, and able to fail.
  const judge = (cost: (size: number) => number) => {
    let now = 0;
    let call = 0;
    // Deterministic jitter of up to ±15%, the size of the noise a shared machine puts on a sample.
    const jitter = () => 1 + 0.15 * Math.sin(++call * 12.9898);
    return judgeSlope(
      [1_000, 2_000, 4_000, 8_000, 16_000],
      7,
      (size) => {
        now += cost(size) * jitter();
      },
      () => now,
    );
  };

  it('says missed for a deliberately quadratic function', async () => {
    const verdict = await judge((n) => n * n);
    expect(verdict.k).toBeGreaterThan(1.8);
    expect(verdict.met).toBe(false);
  });

  it('says missed for n^1.6 (past the limit of 1.35), and met for a linear function with overhead', async () => {
    expect((await judge((n) => n ** 1.6)).met).toBe(false);
    const linear = await judge((n) => 50 + n);
    expect(linear.met).toBe(true);
    expect(linear.k).toBeLessThan(1.1);
  });
});
