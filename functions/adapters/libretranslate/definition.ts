/**
 * LibreTranslate, declared for the registry (functions/adapters/engines/registry.ts). The adapter
 * is imported on first use only.
 */
import { ConfigError } from '../../core/errors';
import { defineEngine, parseHttpUrl } from '../engines/define';

export const libreTranslate = defineEngine({
  name: 'libretranslate',
  displayName: 'LibreTranslate',
  // Self-hosted: no per-character price.
  defaultPrice: 0,
  // Usually one self-hosted server.
  defaultConcurrency: 8,
  aliases: [],
  settings: {
    libreTranslateUrl: {
      env: 'LIBRETRANSLATE_URL',
      context: true,
      needs: 'its server URL',
      example: 'http://localhost:5000',
      required: true,
      parse: parseHttpUrl,
      // Release text (embargoed included) must not travel in clear text to a deployment's server.
      checkDeployed: (url) => (url.startsWith('https://') ? undefined : 'expected an https:// URL (release text must not travel in clear text)'),
    },
  },
  secrets: {
    libreTranslateApiKey: { env: 'LIBRETRANSLATE_API_KEY', needs: 'the API key its server asks for', required: false },
  },
  iam: () => [],
  async prepareLocal(settings) {
    return { description: `libretranslate at ${settings.libreTranslateUrl}` };
  },
  async create(settings, secrets) {
    if (!settings.libreTranslateUrl) throw new ConfigError('libreTranslateUrl is not set: the libretranslate engine needs the server URL, e.g. http://localhost:5000');
    const { LibreTranslateEngine } = await import('./engine');
    return new LibreTranslateEngine({ url: settings.libreTranslateUrl, ...(secrets.libreTranslateApiKey ? { apiKey: secrets.libreTranslateApiKey } : {}) });
  },
});
