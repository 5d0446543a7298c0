/** Dependencies that must move together. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

describe('dependencies', () => {
  it('pins every Powertools package to one version (one copy of @aws-lambda-powertools/commons in each bundle)', () => {
    const versions = Object.entries(pkg.dependencies).filter(([name]) => name.startsWith('@aws-lambda-powertools/'));
    expect(versions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(versions.map(([, version]) => version)).size, JSON.stringify(versions)).toBe(1);
  });
});
