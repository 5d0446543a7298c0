import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, PolywireFunction } from '../../../infra/constructs/polywire-function';
import { defaultEntry } from '../../../infra/stacks/pipeline-stack';

// One real esbuild bundle of one handler: the other infra tests skip bundling.
let bundle: string;
let files: string[];

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'polywire-bundle-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundle');
  new PolywireFunction(stack, 'Deliver', {
    entry: defaultEntry('deliver'),
    description: 'bundling check',
    timeout: Duration.seconds(60),
    memorySize: 512,
    environment: {},
    retainData: false,
  });
  app.synth();
  const assetDir = readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(outdir, name))[0]!;
  files = readdirSync(assetDir).sort();
  bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
  rmSync(outdir, { recursive: true, force: true });
}, 120_000);

describe('PolywireFunction bundling (local esbuild, no Docker)', () => {
  it('emits an ESM bundle with its source map', () => {
    expect(files).toEqual(['index.mjs', 'index.mjs.map']);
    expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });

  it('starts with the createRequire banner that CommonJS dependencies need', () => {
    expect(bundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
  });

  it('bundles the AWS SDK instead of importing the runtime copy', () => {
    expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(bundle).not.toMatch(/import\(["']@aws-sdk\//);
    expect(bundle).toContain('SendMessageBatch');
  });

  it('is minified', () => {
    // Minified code is a few very long lines (template literals keep their own line breaks).
    const averageLineLength = bundle.length / bundle.split('\n').length;
    expect(averageLineLength).toBeGreaterThan(1000);
  });
});
