/**
 * Reading the Lambda environment: the small helpers every function's configuration uses
 * (functions/config.ts for the pipeline stages, functions/deliver/config.ts for deliver). Pure
 * apart from reading the `env` object it is given.
 */
import type { ObservabilityOptions } from './observability';

export type Env = Readonly<Record<string, string | undefined>>;

/** The trimmed value of `name`, or undefined when it is unset or blank. */
export function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Whether the SDK is pointed at local endpoints (emulators): then a few defaults apply. */
export function isLocalEnvironment(env: Env): boolean {
  return ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS'].some((name) => optional(env, name) !== undefined);
}

/** Logger, metrics and tracer settings (Powertools reads its other variables itself in Lambda). */
export function observabilityConfig(env: Env): { observability?: ObservabilityOptions } {
  const namespace = optional(env, 'POWERTOOLS_METRICS_NAMESPACE');
  // The tracer is loaded only when asked for (the construct's enableTracing sets this variable).
  const tracing = optional(env, 'POWERTOOLS_TRACE_ENABLED') === 'true';
  if (!namespace && !tracing) return {};
  return { observability: { ...(namespace ? { namespace } : {}), ...(tracing ? { tracing } : {}) } };
}
