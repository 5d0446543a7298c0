/**
 * DeepL, declared for the registry (functions/adapters/engines/registry.ts). deepl-node (with
 * axios, form-data, mime-db) is imported on first use only.
 */
import { ConfigError } from '../../core/errors';
import { defineEngine, FORMALITY_SETTING } from '../engines/define';

export const deepl = defineEngine({
  name: 'deepl',
  displayName: 'DeepL',
  // DeepL API Pro, per character (its monthly fee is left out).
  defaultPrice: 25,
  defaultConcurrency: 40,
  aliases: [],
  settings: { formality: FORMALITY_SETTING },
  secrets: {
    deeplApiKey: { env: 'DEEPL_API_KEY', needs: 'an API key', required: true },
  },
  iam: () => [],
  async prepareLocal(_settings, env) {
    const key = env.DEEPL_API_KEY?.trim() ?? '';
    return { description: `deepl (${key.endsWith(':fx') ? 'free' : 'pro'} API)` };
  },
  async create(settings, secrets) {
    if (!secrets.deeplApiKey) throw new ConfigError('deeplApiKey is not set: the deepl engine needs a DeepL API key (keep it in Secrets Manager or the environment, never in the repository)');
    const [{ Translator }, { DeepLEngine }] = await Promise.all([import('deepl-node'), import('./engine')]);
    // deepl-node retries 429/5xx itself with backoff; 5 retries rides out a short burst.
    return new DeepLEngine({ translator: new Translator(secrets.deeplApiKey, { maxRetries: 5 }), ...(settings.formality ? { formality: settings.formality } : {}) });
  },
});
