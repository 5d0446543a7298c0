/**
 * The configured translation engine, built on first use: API keys come from Secrets Manager,
 * which is network, so it must not happen at module load (the local stack imports handlers
 * before its endpoints are all up, and a cold start should not pay for it twice).
 *
 * The engine adapters and the Secrets Manager client are imported on first use (each engine's
 * `create` imports its own client), so they are chunks of their own in the function's asset: a
 * cold start does not compile deepl-node (with axios, form-data, mime-db) or the LibreTranslate
 * client whatever the configured engine.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createEngine, type EngineConfig } from '../adapters/engines/registry';
import { ConfigError } from '../core/errors';
import type { TranslationEngine } from '../ports';

export type SecretReader = (arn: string) => Promise<string>;

/** Reads a secret string; a JSON secret `{ "apiKey": "…" }` (or `key`) is unwrapped. */
export function secretsManagerReader(client?: SecretsManagerClient): SecretReader {
  return async (arn) => {
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    client ??= new SecretsManagerClient({});
    const result = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const value = result.SecretString?.trim();
    if (!value) throw new ConfigError(`secret ${arn} has no string value: store the API key as the secret's plain text`);
    if (value.startsWith('{')) {
      const parsed = JSON.parse(value) as Record<string, unknown>;
      const key = parsed.apiKey ?? parsed.key ?? parsed.api_key;
      if (typeof key !== 'string' || key === '') {
        throw new ConfigError(`secret ${arn} is JSON without an "apiKey" field: store the key as plain text or as {"apiKey": "…"}`);
      }
      return key;
    }
    return value;
  };
}

/**
 * A loader that builds the engine once (concurrent first calls share the promise); a failure is
 * not cached, so the next message tries again.
 */
export function lazyEngine(config: EngineConfig, readSecret: SecretReader = secretsManagerReader()): () => Promise<TranslationEngine> {
  let pending: Promise<TranslationEngine> | undefined;
  return () => {
    pending ??= createEngine(config, readSecret).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
