/**
 * The Lambda functions' configuration: `loadStageConfig` reads it once, in the Lambda entry
 * points, from the environment the CDK app sets, validates it, and fails fast with a
 * `ConfigError` that names the variable. Pure apart from reading the `env` object it is given;
 * the local stack, the CLI and the tests call it (or build the objects) with records of their own,
 * never the variables of the running process.
 */
import { ConfigError } from './core/errors';
import { DEFAULT_TARGET_LANGUAGES, normalizeLanguageTag, wireLanguage, WIRE_LANGUAGES } from './core/languages';
// The policy and the check names only: the checks themselves (and their language detector) are
// translate's, and would otherwise load at every function's start-up.
import { DEFAULT_QA_POLICY, type QaAction, type QaPolicy, type QaPolicyScope } from './core/qa/policy';
import { QA_CHECKS } from './core/qa/types';
import { ENGINE_NAMES, type EngineConfig, isEngineName, readEngineConfig } from './adapters/engines/registry';
import type { ObservabilityOptions } from './shared/observability';
import { type Env, isLocalEnvironment, observabilityConfig, optional } from './shared/environment';
import { type DeliverConfig, loadDeliverConfig } from './deliver/config';
import type { StageName } from './stages';

export type { EngineConfig } from './adapters/engines/registry';
// The deliver function reads its few settings through ./deliver/config directly, without this
// module's engine registry and QA policy; re-exported for the callers of the whole configuration.
export { type DeliverConfig, loadDeliverConfig } from './deliver/config';
export { isLocalEnvironment } from './shared/environment';

export interface PipelineConfig {
  tableName: string;
  uploadsBucket: string;
  distributionBucket: string;
  translateQueueUrl: string;
  /**
   * The translate queue of releases far beyond a press release's size (functions/core/pipeline/jobs.ts,
   * `translateLaneOf`); absent: every release's jobs take `translateQueueUrl`.
   */
  translateBulkQueueUrl?: string;
  /** FIFO. */
  publishQueueUrl: string;
  webhookQueueUrl: string;
  /** Absolute http(s) URL without a trailing slash. */
  publicBaseUrl: string;
  siteTitle: string;
  /** Default target languages (wire tags). */
  targetLanguages: string[];
  engine: EngineConfig;
  /** USD per million characters by engine name; merged over the defaults by the caller. */
  priceTable: Record<string, number>;
  /** True when an endpoint override points the SDK at emulators (local stack, tests). */
  local: boolean;
  /**
   * The ingest queue (`INGEST_QUEUE_URL`, optional): lets ingest hide a message whose event is
   * leased by another delivery until the lease ends (ChangeMessageVisibility), instead of
   * retrying into the lease. Without it the queue's visibility timeout does that job.
   */
  ingestQueueUrl?: string;
  /** The lifecycle queue (lifts, withdrawals); `LIFECYCLE_QUEUE_URL`. */
  lifecycleQueueUrl?: string;
  /**
   * `EMBARGO_TRANSLATION`: `ahead` (default) sends held releases to the engine at upload, so every
   * language is ready at the lift; `at-lift` keeps embargoed text away from the provider until the
   * lift (languages then follow the lift by their translation time). See docs/lifecycle.md.
   */
  translateAhead: boolean;
  /** EventBridge Scheduler for lifts beyond 15 minutes (cloud): group, role and queue ARN. */
  liftScheduler?: { groupName: string; roleArn: string; lifecycleQueueArn: string };
  /** CloudFront distribution to invalidate changed paths in (cloud). */
  cdnDistributionId?: string;
  /** `QA_POLICY`: which QA errors hold a language for review (see {@link parseQaPolicy}, docs/qa.md). */
  qaPolicy: QaPolicy;
  /** Logger, metrics and tracer settings (`POWERTOOLS_METRICS_NAMESPACE`; Powertools reads its other variables itself in Lambda). */
  observability?: ObservabilityOptions;
}

/** The configuration each stage reads. */
export type StageConfig<S extends StageName> = S extends 'deliver' ? DeliverConfig : PipelineConfig;

/**
 * The one reader of the Lambda environment: the configuration of `stage`.
 *
 * @throws ConfigError naming the first missing or invalid variable.
 * @example
 * const config = loadStageConfig('ingest', process.env);
 */
export function loadStageConfig<S extends StageName>(stage: S, env: Env): StageConfig<S> {
  return (stage === 'deliver' ? loadDeliverConfig(env) : loadConfig(env)) as StageConfig<S>;
}

function required(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is not set: ${hint}`);
  return value;
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

function url(_env: Env, name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`environment variable ${name} is not an absolute URL: ${JSON.stringify(value)}`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new ConfigError(`environment variable ${name} must be an http(s) URL`);
  return value.replace(/\/+$/, '');
}

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
    tableName: required(env, 'TABLE_NAME', 'the DynamoDB table name'),
    uploadsBucket: required(env, 'UPLOADS_BUCKET', 'the uploads bucket name'),
    distributionBucket: required(env, 'DISTRIBUTION_BUCKET', 'the distribution bucket name'),
    translateQueueUrl: required(env, 'TRANSLATE_QUEUE_URL', 'the translate queue URL'),
    ...(optional(env, 'TRANSLATE_BULK_QUEUE_URL') ? { translateBulkQueueUrl: optional(env, 'TRANSLATE_BULK_QUEUE_URL')! } : {}),
    publishQueueUrl: required(env, 'PUBLISH_QUEUE_URL', 'the publish FIFO queue URL'),
    webhookQueueUrl: required(env, 'WEBHOOK_QUEUE_URL', 'the webhook queue URL'),
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', required(env, 'PUBLIC_BASE_URL', 'the public site URL, e.g. https://news.example.com')),
    siteTitle: optional(env, 'SITE_TITLE') ?? 'polywire newsroom',
    targetLanguages: parseTargetLanguages(optional(env, 'TARGET_LANGUAGES')),
    engine,
    priceTable: json(env, 'PRICE_TABLE', isRecordOf(isNumber), 'an object of engine name → USD per million characters') ?? {},
    local,
    ...(optional(env, 'INGEST_QUEUE_URL') ? { ingestQueueUrl: url(env, 'INGEST_QUEUE_URL', optional(env, 'INGEST_QUEUE_URL')!) } : {}),
    ...lifecycleConfig(env),
    qaPolicy: parseQaPolicy(optional(env, 'QA_POLICY')),
    ...observabilityConfig(env),
  };
}

/** The lifecycle settings (all optional: a deployment without them cannot hold or withdraw). */
function lifecycleConfig(env: Env): Pick<PipelineConfig, 'lifecycleQueueUrl' | 'translateAhead' | 'liftScheduler' | 'cdnDistributionId'> {
  const mode = optional(env, 'EMBARGO_TRANSLATION') ?? 'ahead';
  if (mode !== 'ahead' && mode !== 'at-lift') {
    throw new ConfigError(`environment variable EMBARGO_TRANSLATION is ${JSON.stringify(mode)}: use ahead (translate held releases at upload) or at-lift`);
  }
  const queueUrl = optional(env, 'LIFECYCLE_QUEUE_URL');
  const groupName = optional(env, 'LIFT_SCHEDULE_GROUP');
  const cdn = optional(env, 'CDN_DISTRIBUTION_ID');
  return {
    translateAhead: mode === 'ahead',
    ...(queueUrl ? { lifecycleQueueUrl: url(env, 'LIFECYCLE_QUEUE_URL', queueUrl) } : {}),
    ...(groupName
      ? {
          liftScheduler: {
            groupName,
            roleArn: required(env, 'LIFT_SCHEDULER_ROLE_ARN', 'the role EventBridge Scheduler assumes to send lift jobs'),
            lifecycleQueueArn: required(env, 'LIFECYCLE_QUEUE_ARN', "the lifecycle queue ARN (the schedules' target)"),
          },
        }
      : {}),
    ...(cdn ? { cdnDistributionId: cdn } : {}),
  };
}

/** `TARGET_LANGUAGES`: comma-separated wire tags; unset = all fifteen. */
export function parseTargetLanguages(raw: string | undefined): string[] {
  if (raw === undefined) return [...DEFAULT_TARGET_LANGUAGES];
  const tags: string[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    let tag: string;
    try {
      tag = normalizeLanguageTag(part);
    } catch {
      tag = part;
    }
    if (!wireLanguage(tag)) {
      throw new ConfigError(`environment variable TARGET_LANGUAGES lists ${JSON.stringify(part)}, which is not a wire language: use ${WIRE_LANGUAGES.map((l) => l.tag).join(', ')}`);
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length === 0) throw new ConfigError('environment variable TARGET_LANGUAGES is empty: list at least one language or unset it');
  return tags;
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
