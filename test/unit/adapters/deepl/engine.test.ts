import { QuotaExceededError, TooManyRequestsError, type TextResult, type Translator } from 'deepl-node';
import { describe, expect, it } from 'vitest';
import { DeepLEngine, deeplSourceCode, deeplTargetCode } from '../../../../functions/adapters/deepl/engine';
import { DEFAULT_TARGET_LANGUAGES } from '../../../../functions/core/languages';

type Call = Parameters<Translator['translateText']>;

function fakeTranslator(answer: (texts: string[]) => string[] | Promise<string[]>) {
  const calls: Call[] = [];
  const translator = {
    translateText: (async (...args: Call) => {
      calls.push(args);
      const texts = args[0] as string[];
      return (await answer(texts)).map((text) => ({ text, detectedSourceLang: 'de', billedCharacters: text.length }) as TextResult);
    }) as Translator['translateText'],
  };
  return { translator, calls };
}

describe('DeepLEngine', () => {
  it('maps language codes', () => {
    expect(['en', 'pt', 'zh-Hans', 'zh-Hant', 'de', 'ms'].map(deeplTargetCode)).toEqual(['en-US', 'pt-BR', 'zh-HANS', 'zh-HANT', 'de', 'ms']);
    expect(['zh-Hant', 'en', 'pt'].map(deeplSourceCode)).toEqual(['zh', 'en', 'pt']);
  });

  it('sends segments as XML with tag handling and formality, in calls of at most 50 texts', async () => {
    const { translator, calls } = fakeTranslator((texts) => texts.map((t) => t.toUpperCase()));
    const engine = new DeepLEngine({ translator, formality: 'formal' });
    const segments = Array.from({ length: 60 }, (_, i) => `Satz <g1>${i}</g1>`);
    const out = await engine.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments });
    expect(out).toHaveLength(60);
    expect(out[0]).toBe('SATZ <G1>0</G1>'); // the fake upper-cases tags too; the core would reject that
    expect(calls.map((c) => (c[0] as string[]).length)).toEqual([50, 10]);
    expect(calls[0]!.slice(1)).toEqual(['de', 'en-US', { tagHandling: 'xml', splitSentences: 'nonewlines', formality: 'prefer_more' }]);
    expect(DEFAULT_TARGET_LANGUAGES.every((t) => engine.supports(t))).toBe(true);
  });

  it('maps DeepL errors: throttling retryable, quota not', async () => {
    const throttled = new DeepLEngine({ translator: fakeTranslator(() => Promise.reject(new TooManyRequestsError('429'))).translator });
    const quota = new DeepLEngine({ translator: fakeTranslator(() => Promise.reject(new QuotaExceededError('456'))).translator });
    await expect(throttled.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['a'] })).rejects.toMatchObject({ code: 'ENGINE_THROTTLED', retryable: true });
    await expect(quota.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['a'] })).rejects.toMatchObject({ code: 'ENGINE_QUOTA_EXCEEDED', retryable: false });
  });
});
