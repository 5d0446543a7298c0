import { describe, expect, it } from 'vitest';
import { classifyResponse, MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, nextAttemptDelay, parseRetryAfter, RETRY_SCHEDULE_MS } from '../../../../functions/core/webhooks/retry';

const HOUR = 3_600_000;

describe('retry schedule', () => {
  it('is Svix-like: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(RETRY_SCHEDULE_MS).toEqual([0, 5_000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it('draws each delay with full jitter in [0, base)', () => {
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      const base = RETRY_SCHEDULE_MS[attempt]!;
      expect(nextAttemptDelay(attempt, undefined, { random: () => 0 })).toBe(0);
      expect(nextAttemptDelay(attempt, undefined, { random: () => 0.5 })).toBe(base / 2);
      const highest = nextAttemptDelay(attempt, undefined, { random: () => 0.999999 })!;
      expect(highest).toBeLessThan(base);
      expect(highest).toBeGreaterThan(base * 0.99);
    }
  });

  it('stays within bounds with real randomness', () => {
    for (let i = 0; i < 200; i += 1) {
      const delay = nextAttemptDelay(3)!;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(30 * 60_000);
    }
  });

  it('gives up after the last attempt', () => {
    expect(nextAttemptDelay(MAX_ATTEMPTS - 1, undefined, { random: () => 0.5 })).toBe(5 * HOUR);
    expect(nextAttemptDelay(MAX_ATTEMPTS)).toBeUndefined();
    expect(() => nextAttemptDelay(0)).toThrow(RangeError);
  });

  it('honours Retry-After in seconds or as an HTTP date, capped', () => {
    const now = new Date('2026-11-26T09:30:00Z');
    expect(nextAttemptDelay(1, '120', { now })).toBe(120_000);
    expect(nextAttemptDelay(1, 'Thu, 26 Nov 2026 09:35:00 GMT', { now })).toBe(300_000);
    expect(nextAttemptDelay(1, '999999', { now })).toBe(MAX_RETRY_AFTER_MS);
    expect(nextAttemptDelay(1, 'Wed, 25 Nov 2026 09:35:00 GMT', { now })).toBe(0);
    // Unreadable: back to the schedule.
    expect(nextAttemptDelay(1, 'soon', { now, random: () => 0.5 })).toBe(2_500);
  });

  it('parses nothing from an absent or empty header', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('  ')).toBeUndefined();
  });
});

describe('classifyResponse', () => {
  it('counts only 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204, 299]) expect(classifyResponse(status).outcome).toBe('delivered');
    for (const status of [100, 199, 300, 301, 302, 304, 307, 308, 400, 500]) expect(classifyResponse(status).outcome).not.toBe('delivered');
  });

  it('disables on 410 Gone', () => {
    expect(classifyResponse(410)).toMatchObject({ outcome: 'disable' });
  });

  it('retries redirects, other 4xx and 5xx, honouring Retry-After only on 429 and 503', () => {
    expect(classifyResponse(302)).toMatchObject({ outcome: 'retry', honourRetryAfter: false });
    expect(classifyResponse(302)).toMatchObject({ reason: expect.stringMatching(/redirect not followed/) });
    for (const status of [400, 401, 403, 404, 408, 409, 425, 500, 502, 504]) {
      expect(classifyResponse(status)).toMatchObject({ outcome: 'retry', honourRetryAfter: false });
    }
    expect(classifyResponse(429)).toMatchObject({ outcome: 'retry', honourRetryAfter: true });
    expect(classifyResponse(503)).toMatchObject({ outcome: 'retry', honourRetryAfter: true });
  });
});
