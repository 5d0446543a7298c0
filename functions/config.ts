/**
 * The Lambda functions' configuration: `loadStageConfig` reads it once, in the Lambda entry
 * points, from the environment the CDK app sets, validates it, and fails fast with a
 * `ConfigError` that names the variable. The settings every pipeline function shares are read by
 * `./base-config.ts`, translate's (engine, prices, QA policy) here on top of them; the functions
 * that never translate (ingest, lifecycle) and deliver read their own module directly, so their
 * cold start loads neither the engine registry nor the QA policy. Pure apart from reading the `env` object it is given;
 * the local stack, the CLI and the tests call it (or build the objects) with records of their own,
 * never the variables of the running process.
 */
import { type BaseConfig, loadBaseConfig } from './base-config';
import { ConfigError } from './core/errors';
import { normalizeLanguageTag, wireLanguage } from './core/languages';
// The policy and the check names only: the checks themselves (and their language detector) are
// translate's, and would otherwise load at every function's start-up.
import { DEFAULT_QA_POLICY, type QaAction, type QaPolicy, type QaPolicyScope } from './core/qa/policy';
import { QA_CHECKS } from './core/qa/types';
import { ENGINE_NAMES, type EngineConfig, isEngineName, readEngineConfig } from './adapters/engines/registry';
import { type Env, isLocalEnvironment, optional } from './shared/environment';
import { type DeliverConfig, loadDeliverConfig } from './deliver/config';
import type { StageName } from './stages';

export type { EngineConfig } from './adapters/engines/registry';
// The deliver function reads its few settings through ./deliver/config directly, without this
// module's engine registry and QA policy; re-exported for the callers of the whole configuration.
export { type DeliverConfig, loadDeliverConfig } from './deliver/config';
export { isLocalEnvironment } from './shared/environment';
export { type BaseConfig, loadBaseConfig, parseTargetLanguages } from './base-config';

/** The whole pipeline configuration: the shared settings and translate's (engine, prices, QA policy). */
export interface PipelineConfig extends BaseConfig {
  engine: EngineConfig;
  /** USD per million characters by engine name; merged over the defaults by the caller. */
  priceTable: Record<string, number>;
  /** `QA_POLICY`: which QA errors hold a language for review (see {@link parseQaPolicy}, docs/qa.md). */
  qaPolicy: QaPolicy;
}

/** The configuration each stage reads. */
export type StageConfig<S extends StageName> = S extends 'deliver' ? DeliverConfig : S extends 'ingest' | 'lifecycle' ? BaseConfig : PipelineConfig;

/**
 * The one reader of the Lambda environment: the configuration of `stage`.
 *
 * @throws ConfigError naming the first missing or invalid variable.
 * @example
 * const config = loadStageConfig('translate', process.env);
 */
export function loadStageConfig<S extends StageName>(stage: S, env: Env): StageConfig<S> {
  if (stage === 'deliver') return loadDeliverConfig(env) as StageConfig<S>;
  return (stage === 'ingest' || stage === 'lifecycle' ? loadBaseConfig(env) : loadConfig(env)) as StageConfig<S>;
}

function json<T>(env: Env, name: string, check: (value: unknown) => value is T, shape: string): T | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`environment variable ${name} is not valid JSON (${(error as Error).message}): expected ${shape}`);
  }
  if (!check(value)) throw new ConfigError(`environment variable ${name} has the wrong shape: expected ${shape}`);
  return value;
}

const isRecordOf =
  <T>(item: (v: unknown) => v is T) =>
  (value: unknown): value is Record<string, T> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(item);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Reads and validates the pipeline configuration (ingest, translate, publish, lifecycle).
 *
 * `TRANSLATION_ENGINE` is required in the cloud; it defaults to `pseudo` only when the SDK
 * endpoints are overridden (the local stack, tests), so a deployment never silently publishes
 * pseudo-translations.
 *
 * @throws ConfigError naming the first missing or invalid variable.
 * @example
 * const config = loadConfig({ TABLE_NAME: 'polywire', ... });
 */
export function loadConfig(env: Env): PipelineConfig {
  const local = isLocalEnvironment(env);
  const engineName = optional(env, 'TRANSLATION_ENGINE') ?? (local ? 'pseudo' : undefined);
  if (engineName === undefined) {
    throw new ConfigError(`environment variable TRANSLATION_ENGINE is not set: choose one of ${ENGINE_NAMES.join(', ')} (pseudo is the default only on the local stack)`);
  }
  if (!isEngineName(engineName)) {
    throw new ConfigError(`environment variable TRANSLATION_ENGINE is ${JSON.stringify(engineName)}: choose one of ${ENGINE_NAMES.join(', ')}`);
  }
  // The engine's own variables, as its definition declares them (functions/adapters/<engine>/definition.ts).
  // A deployed function's environment is readable by anyone who can read its configuration, so
  // the cloud takes keys from Secrets Manager only; plain keys are for the local stack.
  const engine = readEngineConfig(engineName, env, { style: 'lambda', plainSecrets: local, ...(local ? { hint: ' (put it in .env)' } : {}) });

  return {
    ...loadBaseConfig(env),
    engine,
    priceTable: json(env, 'PRICE_TABLE', isRecordOf(isNumber), 'an object of engine name → USD per million characters') ?? {},
    qaPolicy: parseQaPolicy(optional(env, 'QA_POLICY')),
  };
}

const QA_ACTIONS: readonly QaAction[] = ['hold', 'flag'];

/**
 * `QA_POLICY`: rules `<scope>=<hold|flag>` separated by commas, where the scope is `errors`, a
 * check name, or either prefixed by a wire language and a colon (`ja:figures=flag`). Unset = the
 * default: errors that change meaning hold, errors of form are flagged (see DEFAULT_HOLD_CHECKS).
 *
 * @example
 * parseQaPolicy('errors=hold, ja:length=flag'); // every error holds except Japanese length errors
 */
export function parseQaPolicy(raw: string | undefined): QaPolicy {
  if (raw === undefined) return DEFAULT_QA_POLICY;
  const policy: QaPolicy = { rules: {}, languages: {} };
  const scopes = ['errors', ...QA_CHECKS] as const;
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(?:([^:=\s]+):)?([a-z-]+)\s*=\s*([a-z-]+)$/.exec(part);
    if (!match) throw new ConfigError(`environment variable QA_POLICY has ${JSON.stringify(part)}: write rules as <check or errors>=<hold|flag>, optionally prefixed by a language (de:figures=flag)`);
    const [, languagePart, scope, action] = match as unknown as [string, string | undefined, string, string];
    if (scope === 'warnings') throw new ConfigError('environment variable QA_POLICY sets warnings: warnings never hold a language (only errors can)');
    if (!(scopes as readonly string[]).includes(scope)) {
      throw new ConfigError(`environment variable QA_POLICY names ${JSON.stringify(scope)}: use errors or a check (${QA_CHECKS.join(', ')})`);
    }
    if (!(QA_ACTIONS as readonly string[]).includes(action)) {
      throw new ConfigError(`environment variable QA_POLICY sets ${scope} to ${JSON.stringify(action)}: use hold (keep the language for review) or flag (publish and record)`);
    }
    let target = policy.rules;
    if (languagePart !== undefined) {
      let tag: string;
      try {
        tag = normalizeLanguageTag(languagePart);
      } catch {
        tag = languagePart;
      }
      if (!wireLanguage(tag)) throw new ConfigError(`environment variable QA_POLICY names the language ${JSON.stringify(languagePart)}, which is not a wire language`);
      target = policy.languages[tag] ??= {};
    }
    target[scope as QaPolicyScope] = action as QaAction;
  }
  return policy;
}
