/**
 * Retry with exponential backoff and full jitter (delay = random(0, min(cap, base × 2^attempt))),
 * which spreads a burst of throttled callers out instead of having them retry in lockstep.
 */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation` until it succeeds, `isRetryable(error)` is false, or attempts run out; the
 * last error is rethrown with the number of attempts made.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, isRetryable: (error: unknown) => boolean, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryable(error)) throw new RetryExhausted(error, attempt);
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.floor(random() * ceiling));
    }
  }
}

/** Wraps the last error of a retried operation with the attempts made. */
export class RetryExhausted extends Error {
  override readonly name = 'RetryExhausted';
  constructor(
    override readonly cause: unknown,
    readonly attempts: number,
  ) {
    super(`${cause instanceof Error ? cause.message : String(cause)} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, { cause });
  }
}
