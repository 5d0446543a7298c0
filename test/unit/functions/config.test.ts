import { describe, expect, it } from 'vitest';
import { loadConfig, parseTargetLanguages } from '../../../functions/config';
import { ConfigError } from '../../../functions/core/errors';

const BASE = {
  TABLE_NAME: 'polywire',
  UPLOADS_BUCKET: 'uploads',
  DISTRIBUTION_BUCKET: 'distribution',
  TRANSLATE_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/1/translate',
  PUBLISH_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/1/publish.fifo',
  WEBHOOK_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/1/webhook',
  PUBLIC_BASE_URL: 'https://news.example.com/',
  TRANSLATION_ENGINE: 'amazon-translate',
};

describe('loadConfig', () => {
  it('reads a complete environment', () => {
    const config = loadConfig({
      ...BASE,
      TARGET_LANGUAGES: 'en, de,zh-TW',
      PRICE_TABLE: '{"amazon-translate": 15}',
      AMAZON_TERMINOLOGIES: '[{"name":"wire-a","targets":["de","fr"]}]',
      TRANSLATE_FORMALITY: 'formal',
    });
    expect(config).toMatchObject({
      tableName: 'polywire',
      publicBaseUrl: 'https://news.example.com',
      targetLanguages: ['en', 'de', 'zh-Hant'],
      priceTable: { 'amazon-translate': 15 },
      engine: { name: 'amazon-translate', settings: { amazonTerminologies: [{ name: 'wire-a', targets: ['de', 'fr'] }], formality: 'formal' } },
      local: false,
    });
  });

  it.each(Object.keys(BASE).filter((name) => name !== 'TRANSLATION_ENGINE'))('names the missing variable %s', (name) => {
    const env: Record<string, string> = { ...BASE };
    delete env[name];
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`environment variable ${name} is not set`));
  });

  it('requires TRANSLATION_ENGINE in the cloud and defaults it to pseudo only locally', () => {
    const { TRANSLATION_ENGINE: _, ...rest } = BASE;
    expect(() => loadConfig(rest)).toThrow(/TRANSLATION_ENGINE is not set/);
    expect(loadConfig({ ...rest, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' }).engine.name).toBe('pseudo');
  });

  it('rejects invalid values with the variable and the expected shape', () => {
    expect(() => loadConfig({ ...BASE, TRANSLATION_ENGINE: 'google' })).toThrow(/TRANSLATION_ENGINE is "google"/);
    expect(() => loadConfig({ ...BASE, PRICE_TABLE: '{nope' })).toThrow(/PRICE_TABLE is not valid JSON/);
    expect(() => loadConfig({ ...BASE, PRICE_TABLE: '{"deepl": "cheap"}' })).toThrow(/PRICE_TABLE has the wrong shape/);
    expect(() => loadConfig({ ...BASE, PUBLIC_BASE_URL: 'news.example.com' })).toThrow(/PUBLIC_BASE_URL is not an absolute URL/);
    expect(() => loadConfig({ ...BASE, TRANSLATION_ENGINE: 'deepl' })).toThrow(/DEEPL_API_KEY_SECRET_ARN is not set/);
    expect(() => loadConfig({ ...BASE, TRANSLATE_FORMALITY: 'casual' })).toThrow(/TRANSLATE_FORMALITY/);
  });
});

describe('engine keys', () => {
  const LOCAL = { ...BASE, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', TRANSLATION_ENGINE: 'deepl' };

  it('takes a plain DeepL key on the local stack, where there is no Secrets Manager', () => {
    expect(loadConfig({ ...LOCAL, DEEPL_API_KEY: 'k-123:fx' }).engine.secrets).toEqual({ deeplApiKey: { value: 'k-123:fx' } });
    expect(() => loadConfig(LOCAL)).toThrow(/DEEPL_API_KEY is not set.*\.env/);
  });

  it('ignores a plain key in the cloud and asks for the secret', () => {
    const cloud = { ...BASE, TRANSLATION_ENGINE: 'deepl', DEEPL_API_KEY: 'k-123:fx' };
    expect(() => loadConfig(cloud)).toThrow(/DEEPL_API_KEY_SECRET_ARN is not set/);
    const withSecret = loadConfig({ ...cloud, DEEPL_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:deepl' });
    expect(withSecret.engine.secrets).toEqual({ deeplApiKey: { arn: 'arn:aws:secretsmanager:eu-central-1:1:secret:deepl' } });
  });
});

describe('parseTargetLanguages', () => {
  it('defaults to the fifteen wire languages', () => {
    expect(parseTargetLanguages(undefined)).toHaveLength(15);
  });

  it('refuses a language the wire does not distribute in', () => {
    expect(() => parseTargetLanguages('de,it')).toThrow(/TARGET_LANGUAGES lists "it"/);
  });
});

describe('loadConfig: QA_POLICY', () => {
  it('defaults to the built-in policy and parses a configured one once', () => {
    expect(loadConfig(BASE).qaPolicy).toEqual({ rules: {}, languages: {} });
    expect(loadConfig({ ...BASE, QA_POLICY: 'errors=hold, de:length=flag' }).qaPolicy).toEqual({ rules: { errors: 'hold' }, languages: { de: { length: 'flag' } } });
  });

  it('fails fast on a bad rule', () => {
    expect(() => loadConfig({ ...BASE, QA_POLICY: 'figures=maybe' })).toThrow(ConfigError);
  });
});
