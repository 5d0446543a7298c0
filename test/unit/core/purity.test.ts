/**
 * The core is pure: no AWS SDK, no environment, no filesystem or network, and nothing random or
 * clock-bound that is not injected (ids, times), so its results are reproducible in tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '..', '..', '..', 'functions', 'core');
const FORBIDDEN: Array<[string, RegExp]> = [
  ['AWS SDK', /from '@aws-sdk\//],
  ['process.env', /\bprocess\.env\b/],
  ['filesystem', /from 'node:fs(?:\/promises)?'/],
  ['network client', /from '(?:undici|node:https?|node:net)'/],
  ['random id (inject an id generator)', /\brandomUUID\b/],
];

const sources = (readdirSync(CORE, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => join(CORE, file));

describe('functions/core purity', () => {
  it.each(FORBIDDEN)('uses no %s', (_what, pattern) => {
    expect(sources.length).toBeGreaterThan(50);
    const offenders = sources.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(CORE, file));
    expect(offenders).toEqual([]);
  });
});
