/**
 * What every pipeline function reads (ingest, translate, publish, lifecycle): the table, buckets,
 * queues, site, languages, lifecycle and observability settings. The translation settings (the
 * engine, prices, QA policy) are translate's and are read by `./config.ts` on top of these, so that
 * a function that never translates (ingest, lifecycle) loads neither the engine registry nor the QA
 * policy at its cold start (bench/cold-start.ts measures the difference).
 *
 * Pure apart from reading the `env` object it is given; fails fast with a `ConfigError` that names
 * the variable.
 */
import { ConfigError } from './core/errors';
import { DEFAULT_TARGET_LANGUAGES, normalizeLanguageTag, wireLanguage, WIRE_LANGUAGES } from './core/languages';
import type { ObservabilityOptions } from './shared/observability';
import { type Env, isLocalEnvironment, observabilityConfig, optional } from './shared/environment';

export interface BaseConfig {
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
  /** Logger, metrics and tracer settings (`POWERTOOLS_METRICS_NAMESPACE`; Powertools reads its other variables itself in Lambda). */
  observability?: ObservabilityOptions;
}

/**
 * Reads and validates the settings every pipeline function shares.
 *
 * @throws ConfigError naming the first missing or invalid variable.
 * @example
 * const config = loadBaseConfig(process.env); // in functions/ingest/handler.ts
 */
export function loadBaseConfig(env: Env): BaseConfig {
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
    local: isLocalEnvironment(env),
    ...(optional(env, 'INGEST_QUEUE_URL') ? { ingestQueueUrl: url(env, 'INGEST_QUEUE_URL', optional(env, 'INGEST_QUEUE_URL')!) } : {}),
    ...lifecycleConfig(env),
    ...observabilityConfig(env),
  };
}

function required(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is not set: ${hint}`);
  return value;
}

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

/** The lifecycle settings (all optional: a deployment without them cannot hold or withdraw). */
function lifecycleConfig(env: Env): Pick<BaseConfig, 'lifecycleQueueUrl' | 'translateAhead' | 'liftScheduler' | 'cdnDistributionId'> {
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
