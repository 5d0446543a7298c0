import { describe, expect, it } from 'vitest';
import { CONTEXT_DEFAULTS, DEFAULT_PRICES, loadConfig, priceTable, TRANSLATION_ENGINES } from '../../../infra/config';
import { ENGINES } from '../../../functions/adapters/engines/registry';
import { ConfigError } from '../../../functions/core/errors';
import { DEFAULT_TARGET_LANGUAGES } from '../../../functions/core/languages';
import { CDK_JSON_CONTEXT } from './synth';

const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

function configError(values: Record<string, unknown>): string {
  try {
    loadConfig(context(values));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(values)} to be rejected`);
}

describe('loadConfig', () => {
  it('applies the documented defaults when no context is given', () => {
    const config = loadConfig(context({}));

    expect(config.targetLanguages).toEqual([...DEFAULT_TARGET_LANGUAGES]);
    expect(config.engine).toBe('amazon-translate');
    expect(config.retainData).toBe(true);
    expect(config.stackPrefix).toBe('polywire');
    expect(priceTable(config)).toEqual(DEFAULT_PRICES);
    expect(config.domainName).toBeUndefined();
  });

  it('prices every engine it accepts, from the same table the translate function uses', () => {
    for (const engine of TRANSLATION_ENGINES) expect(DEFAULT_PRICES[engine], engine).toBeTypeOf('number');
    for (const engine of ENGINES) expect(DEFAULT_PRICES[engine.name], engine.name).toBe(engine.defaultPrice);
  });

  it('cdk.json carries the same defaults as the code', () => {
    for (const [key, value] of Object.entries(CONTEXT_DEFAULTS)) {
      expect(CDK_JSON_CONTEXT[key], key).toEqual(value);
    }
  });

  it('accepts the string forms that `-c key=value` produces', () => {
    const config = loadConfig(
      context({
        targetLanguages: 'de, zh-CN,pt-BR',
        retainData: 'false',
        prices: '{"deepl": 20}',
        amazonTerminologies: '[{"name":"wire-a","targets":["de"]}]',
        reservedConcurrency: '{"translate": 4}',
        formality: 'informal',
      }),
    );

    expect(config.targetLanguages).toEqual(['de', 'zh-Hans', 'pt']);
    expect(config.retainData).toBe(false);
    expect(priceTable(config)).toEqual({ ...DEFAULT_PRICES, deepl: 20 });
    expect(config.engineConfig.settings).toEqual({ amazonTerminologies: [{ name: 'wire-a', targets: ['de'] }], formality: 'informal' });
    expect(config.reservedConcurrency).toEqual({ translate: 4 });
  });

  it('names the key and the allowed values for an unknown engine', () => {
    const message = configError({ engine: 'google' });

    expect(message).toContain('context "engine"');
    expect(message).toContain('amazon-translate, deepl, libretranslate, pseudo');
    expect(message).toContain('"google"');
  });

  it.each([
    [{ engine: 'deepl' }, 'deeplApiKeySecretArn', 'required when engine is deepl'],
    [{ engine: 'libretranslate' }, 'libreTranslateUrl', 'required when engine is libretranslate'],
    [{ engine: 'libretranslate', libreTranslateUrl: 'http://lt.internal' }, 'libreTranslateUrl', 'https://'],
    [{ domainName: 'news.example.com' }, 'certificateArn', 'go together'],
    [{ domainName: 'news.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, 'certificateArn', 'us-east-1'],
    [{ targetLanguages: 'de,fr,de' }, 'targetLanguages', 'listed twice'],
    [{ targetLanguages: [] }, 'targetLanguages', 'at least one'],
    [{ targetLanguages: 'x_!' }, 'targetLanguages', 'BCP 47'],
    [{ retainData: 'yes' }, 'retainData', 'true or false'],
    [{ prices: { deepl: -1 } }, 'prices', 'deepl'],
    [{ alarmEmail: 'ops' }, 'alarmEmail', 'e-mail'],
    [{ formality: 'casual' }, 'formality', 'formal or informal'],
    [{ deeplApiKeySecretArn: 'deepl-key' }, 'deeplApiKeySecretArn', 'Secrets Manager secret ARN'],
    [{ stackPrefix: '1bad' }, 'stackPrefix', 'starting with a letter'],
    [{ reservedConcurrency: { translate: 0 } }, 'reservedConcurrency', 'translate'],
    [{ amazonTerminologies: [{ name: 'all', targets: DEFAULT_TARGET_LANGUAGES }] }, 'amazonTerminologies', 'at most 10 target languages'],
  ])('rejects %j, naming %s', (values, key, detail) => {
    const message = configError(values);

    expect(message).toContain(`context "${key}"`);
    expect(message).toContain(detail);
  });

  it('treats an empty value (`-c formality=`) as unset', () => {
    expect(loadConfig(context({ formality: '', engine: '' })).engine).toBe('amazon-translate');
  });
});

describe('loadConfig: qaPolicy', () => {
  it('takes a valid QA policy and refuses a bad one at synth, naming the key', () => {
    expect(loadConfig(context({ qaPolicy: 'errors=flag' })).qaPolicy).toBe('errors=flag');
    expect(loadConfig(context({})).qaPolicy).toBeUndefined();
    expect(() => loadConfig(context({ qaPolicy: 'warnings=hold' }))).toThrow(/context "qaPolicy": the QA policy sets warnings: warnings never hold/);
  });
});
