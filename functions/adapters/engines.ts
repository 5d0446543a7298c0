/**
 * Builds the configured translation engine. Configuration is checked here, once, at start-up:
 * a missing setting is a ConfigError naming it. Secrets (API keys) are passed to the clients and
 * never logged or included in messages.
 */
import { TranslateClient } from '@aws-sdk/client-translate';
import { Translator } from 'deepl-node';
import { ConfigError } from '../core/errors';
import type { EngineName, TranslationEngine } from '../ports';
import { AmazonTranslateEngine, type TerminologyConfig } from './amazon-translate/engine';
import { DeepLEngine } from './deepl/engine';
import { LibreTranslateEngine } from './libretranslate/engine';
import { PseudoEngine } from './pseudo/engine';

export const ENGINE_NAMES: readonly EngineName[] = ['amazon-translate', 'deepl', 'libretranslate', 'pseudo'];

export interface EngineConfig {
  engine: EngineName;
  /** amazon-translate: AWS region; absent = the SDK's default (AWS_REGION). */
  region?: string;
  /** amazon-translate: custom terminologies with the target languages each covers (≤ 10 each). */
  terminologies?: TerminologyConfig[];
  /** amazon-translate, deepl: preferred formality where the target language supports it. */
  formality?: 'formal' | 'informal';
  /** amazon-translate: mask profanity (off by default). */
  maskProfanity?: boolean;
  deeplApiKey?: string;
  libreTranslateUrl?: string;
  libreTranslateApiKey?: string;
}

/**
 * @throws ConfigError naming the missing or invalid setting.
 * @example
 * const engine = createEngine({ engine: 'deepl', deeplApiKey: secret });
 */
export function createEngine(config: EngineConfig): TranslationEngine {
  switch (config.engine) {
    case 'pseudo':
      return new PseudoEngine();
    case 'amazon-translate':
      return new AmazonTranslateEngine({
        // maxAttempts 1: the adapter owns retries (backoff with full jitter), see its header.
        client: new TranslateClient({ maxAttempts: 1, ...(config.region ? { region: config.region } : {}) }),
        ...(config.terminologies ? { terminologies: config.terminologies } : {}),
        ...(config.formality ? { formality: config.formality } : {}),
        ...(config.maskProfanity ? { maskProfanity: true } : {}),
      });
    case 'deepl': {
      if (!config.deeplApiKey) throw new ConfigError('deeplApiKey is not set: the deepl engine needs a DeepL API key (keep it in Secrets Manager or the environment, never in the repository)');
      // deepl-node retries 429/5xx itself with backoff; 5 retries rides out a short burst.
      return new DeepLEngine({ translator: new Translator(config.deeplApiKey, { maxRetries: 5 }), ...(config.formality ? { formality: config.formality } : {}) });
    }
    case 'libretranslate': {
      if (!config.libreTranslateUrl) throw new ConfigError('libreTranslateUrl is not set: the libretranslate engine needs the server URL, e.g. http://localhost:5000');
      try {
        new URL(config.libreTranslateUrl);
      } catch {
        throw new ConfigError(`libreTranslateUrl is not a URL: ${JSON.stringify(config.libreTranslateUrl)}`);
      }
      return new LibreTranslateEngine({ url: config.libreTranslateUrl, ...(config.libreTranslateApiKey ? { apiKey: config.libreTranslateApiKey } : {}) });
    }
    default:
      throw new ConfigError(`engine ${JSON.stringify((config as { engine: unknown }).engine)} is unknown: use one of ${ENGINE_NAMES.join(', ')}`);
  }
}
