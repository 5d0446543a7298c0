/**
 * The engine registry is complete and consistent: every engine's settings are spelled one way,
 * survive the trip through the environment the CDK app and the local stack write, and are
 * documented where a user looks for them (.env.example, docs/pipeline.md, docs/deploy.md).
 * Each engine's IAM in the synthesized template is checked in test/unit/infra/engines.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONCURRENCY,
  DEFAULT_PRICES,
  ENGINE_ALIASES,
  ENGINE_DISPLAY_NAMES,
  ENGINE_NAMES,
  ENGINES,
  engineContextKeys,
  engineEnvironment,
  engineVariables,
  readEngineConfig,
  secretArnContextKey,
  secretArnVariable,
  secretsOf,
  settingsOf,
} from '../../../../functions/adapters/engines/registry';
import { CONTEXT_KEYS } from '../../../../infra/config';

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const ENV_EXAMPLE = read('.env.example');
const PIPELINE_DOC = read('docs/pipeline.md');
const DEPLOY_DOC = read('docs/deploy.md');
const TRANSLATION_DOC = read('docs/translation.md');

/** The engine's settings as their examples, in the environment (plain secrets as placeholders). */
function exampleEnvironment(engine: (typeof ENGINES)[number]): Record<string, string> {
  return Object.fromEntries([...settingsOf(engine).map(([, setting]) => [setting.env, setting.example]), ...secretsOf(engine).map(([key, secret]) => [secret.env, `${key}-value`])]);
}

describe('engine registry', () => {
  it('names each engine once, with a display name, a price and a concurrency', () => {
    expect(new Set(ENGINE_NAMES).size).toBe(ENGINES.length);
    for (const engine of ENGINES) {
      expect(engine.name, engine.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(ENGINE_DISPLAY_NAMES[engine.name]).toBe(engine.displayName);
      expect(DEFAULT_PRICES[engine.name]).toBeGreaterThanOrEqual(0);
      expect(DEFAULT_ENGINE_CONCURRENCY[engine.name]).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps aliases apart from engine names', () => {
    for (const [alias, name] of Object.entries(ENGINE_ALIASES)) {
      expect(ENGINE_NAMES).toContain(name);
      expect(ENGINE_NAMES as readonly string[]).not.toContain(alias);
    }
  });

  it('spells every setting one way: a key shared by engines is one variable and one context key', () => {
    const variableOf = new Map<string, string>();
    const keyOf = new Map<string, string>();
    for (const engine of ENGINES) {
      const entries = [...settingsOf(engine).map(([key, setting]) => [key, setting.env] as const), ...secretsOf(engine).map(([key, secret]) => [key, secret.env] as const)];
      for (const [key, variable] of entries) {
        expect(variableOf.get(key) ?? variable, `${engine.name}.${key}`).toBe(variable);
        expect(keyOf.get(variable) ?? key, `${engine.name} ${variable}`).toBe(key);
        variableOf.set(key, variable);
        keyOf.set(variable, key);
      }
    }
  });

  it.each(ENGINES.map((engine) => [engine.name, engine] as const))('%s: settings and secrets survive the environment the local stack and the CDK app write', (name, engine) => {
    const local = readEngineConfig(name, exampleEnvironment(engine), { style: 'user', plainSecrets: true });
    expect(readEngineConfig(name, engineEnvironment(local), { style: 'lambda', plainSecrets: true })).toEqual(local);
    for (const [key] of secretsOf(engine)) expect((local.secrets as Record<string, unknown>)[key]).toEqual({ value: `${key}-value` });

    // In the cloud a secret travels as its ARN only: the plain value is not read.
    const cloudEnv = { ...exampleEnvironment(engine), ...Object.fromEntries(secretsOf(engine).map(([key, secret]) => [secretArnVariable(secret), `arn:aws:secretsmanager:eu-central-1:123456789012:secret:${key}`])) };
    const cloud = readEngineConfig(name, cloudEnv, { style: 'lambda', plainSecrets: false });
    for (const [key] of secretsOf(engine)) expect((cloud.secrets as Record<string, unknown>)[key]).toEqual({ arn: expect.stringContaining(`secret:${key}`) });
    expect(readEngineConfig(name, engineEnvironment(cloud), { style: 'lambda', plainSecrets: false })).toEqual(cloud);
  });

  it.each(ENGINES.map((engine) => [engine.name, engine] as const))('%s: every variable is in .env.example and docs/pipeline.md, every context key in docs/deploy.md and infra/config.ts', (name, engine) => {
    for (const [, setting] of settingsOf(engine)) expect(ENV_EXAMPLE, `${name}: ${setting.env} in .env.example`).toMatch(new RegExp(`^#?${setting.env}=`, 'm'));
    for (const [, secret] of secretsOf(engine)) expect(ENV_EXAMPLE, `${name}: ${secret.env} in .env.example`).toMatch(new RegExp(`^#?${secret.env}=`, 'm'));
    for (const variable of engineVariables(engine)) expect(PIPELINE_DOC, `${name}: ${variable} in docs/pipeline.md`).toContain(`\`${variable}\``);
    const contextKeys = [...settingsOf(engine).flatMap(([key, setting]) => (setting.context ? [key] : [])), ...secretsOf(engine).map(([key]) => secretArnContextKey(key))];
    for (const key of contextKeys) {
      expect(DEPLOY_DOC, `${name}: ${key} in docs/deploy.md`).toContain(`| \`${key}\` |`);
      expect(CONTEXT_KEYS, `${name}: ${key} read by infra/config.ts`).toContain(key);
    }
    expect(TRANSLATION_DOC, `${name} in docs/translation.md#engines`).toContain(`| \`${name}\` |`);
  });

  it('lists each context key once, whichever engines share it', () => {
    expect(new Set(engineContextKeys()).size).toBe(engineContextKeys().length);
    expect(engineContextKeys()).toContain('formality');
  });
});
