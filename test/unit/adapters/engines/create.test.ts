import { describe, expect, it } from 'vitest';
import { createEngine, type EngineConfig, readEngineConfig } from '../../../../functions/adapters/engines/registry';
import { ConfigError } from '../../../../functions/core/errors';

const user = { style: 'user', plainSecrets: true } as const;

describe('createEngine', () => {
  it('builds each engine from its settings', async () => {
    await expect(createEngine({ name: 'pseudo', settings: {}, secrets: {} })).resolves.toMatchObject({ name: 'pseudo', kind: 'pseudo' });
    await expect(createEngine({ name: 'amazon-translate', settings: { region: 'eu-central-1' }, secrets: {} })).resolves.toMatchObject({ name: 'amazon-translate', kind: 'machine', maxRequestBytes: 10_000 });
    await expect(createEngine(readEngineConfig('deepl', { DEEPL_API_KEY: 'key:fx' }, user))).resolves.toMatchObject({ name: 'deepl' });
    await expect(createEngine(readEngineConfig('libretranslate', { LIBRETRANSLATE_URL: 'http://localhost:5000' }, user))).resolves.toMatchObject({ name: 'libretranslate' });
  });

  it('reads a secret held in Secrets Manager through the reader it is given', async () => {
    const read: string[] = [];
    const config: EngineConfig = { name: 'deepl', settings: {}, secrets: { deeplApiKey: { arn: 'arn:aws:secretsmanager:eu-central-1:1:secret:deepl' } } };
    await createEngine(config, async (arn) => {
      read.push(arn);
      return 'key:fx';
    });
    expect(read).toEqual(['arn:aws:secretsmanager:eu-central-1:1:secret:deepl']);
    await expect(createEngine(config)).rejects.toThrow(ConfigError);
  });

  it.each([
    [{ name: 'deepl', settings: {}, secrets: {} } as EngineConfig, /deeplApiKey is not set/],
    [{ name: 'libretranslate', settings: {}, secrets: {} } as EngineConfig, /libreTranslateUrl is not set/],
  ])('names the missing setting (%#)', async (config, message) => {
    await expect(createEngine(config)).rejects.toThrow(ConfigError);
    await expect(createEngine(config)).rejects.toThrow(message);
  });
});

describe('readEngineConfig', () => {
  it.each([
    ['deepl', {}, 'the deepl engine needs an API key: set DEEPL_API_KEY in the environment'],
    ['libretranslate', {}, 'the libretranslate engine needs its server URL: set LIBRETRANSLATE_URL in the environment, e.g. http://localhost:5000'],
    ['libretranslate', { LIBRETRANSLATE_URL: 'localhost' }, 'environment variable LIBRETRANSLATE_URL is invalid: expected an absolute http(s) URL, got "localhost"'],
    ['amazon-translate', { TRANSLATE_FORMALITY: 'casual' }, 'environment variable TRANSLATE_FORMALITY is invalid: expected formal or informal'],
  ] as const)('names the variable of a missing or bad %s setting', (engine, env, message) => {
    expect(() => readEngineConfig(engine, env, user)).toThrow(ConfigError);
    expect(() => readEngineConfig(engine, env, user)).toThrow(message);
  });

  it('spells each setting one way: formality in any case becomes formal or informal', () => {
    expect(readEngineConfig('deepl', { DEEPL_API_KEY: 'k', TRANSLATE_FORMALITY: 'FORMAL' }, user).settings).toEqual({ formality: 'formal' });
  });
});
