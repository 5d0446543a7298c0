import { describe, expect, it } from 'vitest';
import { decideVersion, padVersion } from '../../../../functions/core/pipeline/versioning';

describe('decideVersion', () => {
  it('makes the first upload version 1', () => {
    expect(decideVersion(undefined, { sha256: 'a' })).toEqual({ kind: 'new', version: 1 });
    expect(decideVersion(undefined, { sha256: 'a', declaredVersion: 4 })).toEqual({ kind: 'new', version: 1 });
  });

  it('treats the same bytes as the latest version as a duplicate of it', () => {
    expect(decideVersion({ version: 3, sha256: 'a' }, { sha256: 'a' })).toEqual({ kind: 'duplicate', version: 3 });
  });

  it('makes new content the next version', () => {
    expect(decideVersion({ version: 1, sha256: 'a' }, { sha256: 'b' })).toEqual({ kind: 'new', version: 2 });
    expect(decideVersion({ version: 2, sha256: 'b' }, { sha256: 'a' })).toEqual({ kind: 'new', version: 3 });
    expect(decideVersion({ version: 1, sha256: 'a' }, { sha256: 'b', declaredVersion: 2 })).toEqual({ kind: 'new', version: 2 });
  });

  it('records a declared version at or below the latest as stale', () => {
    expect(decideVersion({ version: 3, sha256: 'a' }, { sha256: 'b', declaredVersion: 2 })).toEqual({
      kind: 'stale',
      declaredVersion: 2,
      latestVersion: 3,
    });
    expect(decideVersion({ version: 3, sha256: 'a' }, { sha256: 'b', declaredVersion: 3 }).kind).toBe('stale');
  });
});

describe('padVersion', () => {
  it('sorts numerically as a string', () => {
    expect(padVersion(9) < padVersion(10)).toBe(true);
    expect(padVersion(42)).toBe('0000000042');
  });
});
