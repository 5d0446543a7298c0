import { describe, expect, it } from 'vitest';
import { LibreTranslateEngine } from '../../../../functions/adapters/libretranslate/engine';

function fakeFetch(responses: Array<() => Response>) {
  const calls: Array<{ url: string; body: Record<string, unknown> }> = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next();
  }) as typeof fetch;
  return { fetchFn, calls };
}

const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const noSleep = { sleep: async () => {}, random: () => 0 };

describe('LibreTranslateEngine', () => {
  it('posts q as a list in html format with the api key, and reads the list back', async () => {
    const { fetchFn, calls } = fakeFetch([json(200, { translatedText: ['Hello <x1></x1>', 'World'] })]);
    const engine = new LibreTranslateEngine({ url: 'http://libre.local:5000/', apiKey: 'secret-key', fetch: fetchFn });
    const out = await engine.translate({ sourceLanguage: 'de', targetLanguage: 'zh-Hant', segments: ['Hallo <x1/>', 'Welt'] });
    expect(out).toEqual(['Hello <x1></x1>', 'World']);
    expect(calls[0]).toEqual({
      url: 'http://libre.local:5000/translate',
      body: { q: ['Hallo <x1/>', 'Welt'], source: 'de', target: 'zh-Hant', format: 'html', api_key: 'secret-key' },
    });
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    const { fetchFn, calls } = fakeFetch([json(429, { error: 'Slowdown' }), json(502, {}), json(200, { translatedText: ['ok'] })]);
    const engine = new LibreTranslateEngine({ url: 'http://libre.local', fetch: fetchFn, retry: noSleep });
    expect(await engine.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['x'] })).toEqual(['ok']);
    expect(calls).toHaveLength(3);
  });

  it('fails clearly without leaking the api key, and does not retry a 400', async () => {
    const { fetchFn, calls } = fakeFetch([json(400, { error: 'ar is not supported' })]);
    const engine = new LibreTranslateEngine({ url: 'http://libre.local', apiKey: 'secret-key', fetch: fetchFn, retry: noSleep });
    const error = await engine.translate({ sourceLanguage: 'de', targetLanguage: 'ar', segments: ['x'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENGINE_REJECTED', retryable: false });
    expect((error as Error).message).toContain('ar is not supported');
    expect((error as Error).message).not.toContain('secret-key');
    expect(calls).toHaveLength(1);
  });

  it('rejects an answer without a translatedText list', async () => {
    const { fetchFn } = fakeFetch([json(200, { translatedText: 'not a list' })]);
    const engine = new LibreTranslateEngine({ url: 'http://libre.local', fetch: fetchFn, retry: noSleep });
    await expect(engine.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['x'] })).rejects.toMatchObject({ code: 'ENGINE_BAD_RESPONSE' });
  });
});
