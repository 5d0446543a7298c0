import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../functions/adapters/engines';
import { ConfigError } from '../../../functions/core/errors';

describe('createEngine', () => {
  it('builds each engine from its settings', () => {
    expect(createEngine({ engine: 'pseudo' })).toMatchObject({ name: 'pseudo', kind: 'pseudo' });
    expect(createEngine({ engine: 'amazon-translate', region: 'eu-central-1' })).toMatchObject({ name: 'amazon-translate', kind: 'machine', maxRequestBytes: 10_000 });
    expect(createEngine({ engine: 'deepl', deeplApiKey: 'key:fx' })).toMatchObject({ name: 'deepl' });
    expect(createEngine({ engine: 'libretranslate', libreTranslateUrl: 'http://localhost:5000' })).toMatchObject({ name: 'libretranslate' });
  });

  it.each([
    [{ engine: 'deepl' as const }, /deeplApiKey is not set/],
    [{ engine: 'libretranslate' as const }, /libreTranslateUrl is not set/],
    [{ engine: 'libretranslate' as const, libreTranslateUrl: 'localhost' }, /libreTranslateUrl is not a URL/],
    [{ engine: 'google' as never }, /engine "google" is unknown: use one of amazon-translate, deepl, libretranslate, pseudo/],
  ])('names the missing or bad setting (%#)', (config, message) => {
    expect(() => createEngine(config)).toThrow(ConfigError);
    expect(() => createEngine(config)).toThrow(message);
  });
});
