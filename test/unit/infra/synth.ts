/**
 * Synthesizes the polywire app the way `cdk synth` does (cdk.json's context, feature flags and
 * cdk-nag packs), for the infra tests. Bundling is skipped unless asked for: esbuild output is
 * checked once, in bundling.test.ts, and the other tests only read templates.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { type PolywireApp, createPolywireApp } from '../../../infra/app';

export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')).context;

export interface SynthesizedPolywire extends PolywireApp {
  readonly outdir: string;
  readonly storageTemplate: Template;
  readonly pipelineTemplate: Template;
}

const synthesized = new Map<string, SynthesizedPolywire>();

/**
 * Synthesizes with cdk.json's context plus `context`; throws as `cdk synth` would (cdk-nag
 * included). Each context is synthesized once per run (the infra project shares its module cache
 * across files): templates are only read.
 */
export function synthPolywire(context: Record<string, unknown> = {}): SynthesizedPolywire {
  const key = JSON.stringify(context);
  let result = synthesized.get(key);
  if (!result) synthesized.set(key, (result = synthesizeOnce(context)));
  return result;
}

function synthesizeOnce(context: Record<string, unknown>): SynthesizedPolywire {
  const outdir = mkdtempSync(join(tmpdir(), 'polywire-cdk-'));
  const polywire = createPolywireApp({
    outdir,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
  });
  polywire.app.synth();
  return {
    ...polywire,
    outdir,
    storageTemplate: Template.fromStack(polywire.storage),
    pipelineTemplate: Template.fromStack(polywire.pipeline),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are read as untyped JSON by the tests.
type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** Resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** A context that switches on every optional feature. */
export const EVERYTHING_ON = {
  retainData: false,
  alarmEmail: 'ops@example.com',
  domainName: 'news.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
  amazonTerminologies: [
    { name: 'wire-asia', targets: ['ko', 'ja', 'zh-Hans', 'zh-Hant', 'vi', 'th', 'id', 'ms'] },
    { name: 'wire-europe', targets: ['en', 'de', 'fr', 'es', 'pt', 'ru', 'ar'] },
  ],
  formality: 'FORMAL',
  reservedConcurrency: { translate: 5 },
  qaPolicy: 'errors=hold, ja:length=flag',
};
