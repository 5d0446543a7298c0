import { TooManyRequestsException, TranslateClient, TranslateServiceException, TranslateTextCommand, UnsupportedLanguagePairException, type TranslateTextCommandInput } from '@aws-sdk/client-translate';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AmazonTranslateEngine, amazonLanguageCode } from '../../../../functions/adapters/amazon-translate/engine';
import { ConfigError, TranslationError } from '../../../../functions/core/errors';
import { DEFAULT_TARGET_LANGUAGES } from '../../../../functions/core/languages';
import { blockText, type Block } from '../../../../functions/core/release';
import { EMPTY_GLOSSARY, InMemoryTranslationMemory, translateVariant } from '../../../../functions/core/translation/index';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';
import { utf8Bytes } from '../../../../functions/core/translation/placeholders';
import { makeRelease } from '../../core/translation/release-fixture';

const translateMock = mockClient(TranslateClient);
const client = new TranslateClient({ region: 'eu-central-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
const noSleep = { sleep: async () => {}, random: () => 0.5 };

/** Echoes the document back, as a translation that changes nothing would. */
function echo(input: TranslateTextCommandInput) {
  return { TranslatedText: input.Text, SourceLanguageCode: input.SourceLanguageCode, TargetLanguageCode: input.TargetLanguageCode };
}

function sentInputs(): TranslateTextCommandInput[] {
  return translateMock.commandCalls(TranslateTextCommand).map((call) => call.args[0].input);
}

beforeEach(() => translateMock.reset());
afterEach(() => translateMock.reset());

describe('AmazonTranslateEngine requests', () => {
  it('maps language codes: zh-Hans → zh, zh-Hant → zh-TW, others as they are', async () => {
    expect(['zh-Hans', 'zh-Hant', 'zh-CN', 'zh-TW', 'pt-BR', 'de', 'ar', 'ms'].map(amazonLanguageCode)).toEqual(['zh', 'zh-TW', 'zh', 'zh-TW', 'pt', 'de', 'ar', 'ms']);
    translateMock.on(TranslateTextCommand).callsFake(echo);
    const engine = new AmazonTranslateEngine({ client });
    await engine.translate({ sourceLanguage: 'zh-Hans', targetLanguage: 'zh-Hant', segments: ['你好'] });
    expect(sentInputs()[0]).toMatchObject({ SourceLanguageCode: 'zh', TargetLanguageCode: 'zh-TW' });
    expect(DEFAULT_TARGET_LANGUAGES.every((tag) => engine.supports(tag))).toBe(true);
  });

  it('sends the segments of a request as one HTML document and reads them back, entities decoded once', async () => {
    translateMock.on(TranslateTextCommand).callsFake((input: TranslateTextCommandInput) => ({
      TranslatedText: input.Text!.replace(/'/g, '&#39;').replace('Hallo', 'Hello'),
    }));
    const engine = new AmazonTranslateEngine({ client });
    const out = await engine.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ["Hallo <g1>Welt</g1> it's <x2/>", 'A &amp; B &amp;amp; C'] });
    expect(sentInputs()).toHaveLength(1);
    expect(sentInputs()[0]!.Text).toBe('<div data-s="0">Hallo <span data-g="1">Welt</span> it\'s <span translate="no" data-x="2">x2</span></div><div data-s="1">A &amp; B &amp;amp; C</div>');
    expect(out).toEqual(["Hello <g1>Welt</g1> it's <x2/>", 'A &amp; B &amp;amp; C']);
  });

  it('chooses the terminology covering the target language, one per request', async () => {
    translateMock.on(TranslateTextCommand).callsFake(echo);
    const engine = new AmazonTranslateEngine({
      client,
      terminologies: [
        { name: 'wire-terms-europe-asia', targets: ['en', 'de', 'fr', 'es', 'pt', 'ru', 'ja', 'ko', 'zh-Hans', 'zh-Hant'] },
        { name: 'wire-terms-rest', targets: ['ar', 'vi', 'th', 'id', 'ms'] },
      ],
    });
    for (const target of ['de', 'zh-Hant', 'th', 'ar']) await engine.translate({ sourceLanguage: 'en', targetLanguage: target, segments: ['Hello'] });
    await new AmazonTranslateEngine({ client, terminologies: [{ name: 'only-de', targets: ['de'] }] }).translate({ sourceLanguage: 'en', targetLanguage: 'fr', segments: ['Hello'] });
    expect(sentInputs().map((i) => i.TerminologyNames)).toEqual([['wire-terms-europe-asia'], ['wire-terms-europe-asia'], ['wire-terms-rest'], ['wire-terms-rest'], undefined]);
  });

  it('rejects a terminology over 10 languages and a language covered twice', () => {
    const eleven = ['en', 'de', 'fr', 'es', 'pt', 'ru', 'ja', 'ko', 'zh-Hans', 'zh-Hant', 'ar'];
    expect(() => new AmazonTranslateEngine({ client, terminologies: [{ name: 'all', targets: eleven }] })).toThrow(ConfigError);
    expect(() => new AmazonTranslateEngine({ client, terminologies: [{ name: 'all', targets: eleven }] })).toThrow(/"all" lists 11 target languages/);
    expect(
      () =>
        new AmazonTranslateEngine({
          client,
          terminologies: [
            { name: 'a', targets: ['de'] },
            { name: 'b', targets: ['de-AT'] },
          ],
        }),
    ).toThrow(/de is covered by both "a" and "b"/);
  });

  it('sets formality only where Amazon supports it, and leaves profanity unmasked by default', async () => {
    translateMock.on(TranslateTextCommand).callsFake(echo);
    const engine = new AmazonTranslateEngine({ client, formality: 'formal' });
    await engine.translate({ sourceLanguage: 'en', targetLanguage: 'de', segments: ['Hello'] });
    await engine.translate({ sourceLanguage: 'en', targetLanguage: 'zh-Hans', segments: ['Hello'] });
    await new AmazonTranslateEngine({ client, maskProfanity: true }).translate({ sourceLanguage: 'en', targetLanguage: 'fr', segments: ['Hello'] });
    expect(sentInputs().map((i) => i.Settings)).toEqual([{ Formality: 'FORMAL' }, undefined, { Profanity: 'MASK' }]);
  });
});

describe('AmazonTranslateEngine retries', () => {
  // The generic AWS throttling error, as the SDK builds it from a `ThrottlingException` answer.
  const throttled = () => new TranslateServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

  it('retries ThrottlingException with backoff and full jitter, then succeeds', async () => {
    const delays: number[] = [];
    translateMock.on(TranslateTextCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).callsFake(echo);
    const engine = new AmazonTranslateEngine({ client, retry: { baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms) => void delays.push(ms), random: () => 0.99 } });
    const out = await engine.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['Hallo'] });
    expect(out).toEqual(['Hallo']);
    expect(translateMock.commandCalls(TranslateTextCommand)).toHaveLength(3);
    expect(delays).toEqual([99, 198]);
  });

  it('retries 5xx answers and TooManyRequestsException too', async () => {
    const unavailable = Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } });
    const internal = Object.assign(new Error('boom'), { name: 'SomethingNew', $metadata: { httpStatusCode: 500 } });
    const tooMany = new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 400 } });
    translateMock.on(TranslateTextCommand).rejectsOnce(unavailable).rejectsOnce(internal).rejectsOnce(tooMany).callsFake(echo);
    await new AmazonTranslateEngine({ client, retry: noSleep }).translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['Hallo'] });
    expect(translateMock.commandCalls(TranslateTextCommand)).toHaveLength(4);
  });

  it('gives up after maxAttempts with a retryable TranslationError', async () => {
    translateMock.on(TranslateTextCommand).rejects(throttled());
    const engine = new AmazonTranslateEngine({ client, retry: { ...noSleep, maxAttempts: 4 } });
    const error = await engine.translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['Hallo'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranslationError);
    expect(error).toMatchObject({ code: 'ENGINE_THROTTLED', retryable: true });
    expect((error as Error).message).toMatch(/4 attempts/);
    expect(translateMock.commandCalls(TranslateTextCommand)).toHaveLength(4);
  });

  it('does not retry a request Amazon rejects', async () => {
    translateMock.on(TranslateTextCommand).rejects(new UnsupportedLanguagePairException({ message: 'unsupported pair', $metadata: { httpStatusCode: 400 } }));
    const error = await new AmazonTranslateEngine({ client, retry: noSleep }).translate({ sourceLanguage: 'de', targetLanguage: 'en', segments: ['x'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_LANGUAGE_PAIR', retryable: false });
    expect(translateMock.commandCalls(TranslateTextCommand)).toHaveLength(1);
  });
});

describe('AmazonTranslateEngine under translateVariant', () => {
  const cjkSentence = fc.string({ unit: fc.constantFrom(...'東京会議開催日本語中文漢字한국어'), minLength: 1, maxLength: 300 }).map((s) => `${s}。`);
  const emoji = fc.array(fc.constantFrom('😀', '🎉', '👩‍👩‍👧', '🇩🇪', 'ü'), { minLength: 1, maxLength: 200 }).map((e) => e.join(''));
  const latin = fc.lorem({ maxCount: 40, mode: 'sentences' });
  const sentence = fc.oneof(latin, cjkSentence, emoji, fc.constant('Mehr unter https://www.example.com/a?b=c&d=e und ir@acme.com.'));
  const paragraphs = fc.array(
    fc.array(sentence, { minLength: 1, maxLength: 120 }).map((s): Block => ({ type: 'paragraph', content: [{ type: 'text', text: s.join(' ') }] })),
    { minLength: 1, maxLength: 6 },
  );

  it('never sends a request over 10,000 UTF-8 bytes, and every paragraph comes back whole', async () => {
    translateMock.on(TranslateTextCommand).callsFake(echo);
    const engine = new AmazonTranslateEngine({ client, retry: noSleep });
    let largestRequest = 0;
    await fc.assert(
      fc.asyncProperty(paragraphs, async (body) => {
        translateMock.resetHistory();
        const release = makeRelease({ body });
        const variant = await translateVariant(release, 'en', { engine, memory: new InMemoryTranslationMemory(), glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES });
        for (const input of sentInputs()) {
          expect(utf8Bytes(input.Text!)).toBeLessThanOrEqual(10_000);
          largestRequest = Math.max(largestRequest, utf8Bytes(input.Text!));
        }
        body.forEach((block, i) => {
          const original = blockText(block).replace(/\s+/g, '');
          expect(blockText(variant.content.body[i]!).replace(/\s+/g, '')).toBe(original);
        });
      }),
      { numRuns: 25 },
    );
    // Across all runs the generator did produce large requests (else the property proved little).
    expect(largestRequest).toBeGreaterThan(1_000);
  });

  it('bills a paragraph over the limit once, cut into several requests under the limit', async () => {
    translateMock.on(TranslateTextCommand).callsFake(echo);
    const long = Array.from({ length: 120 }, (_, i) => `Dies ist Satz ${i + 1} über die Lage in der Region.`).join(' ');
    const release = makeRelease({ body: [{ type: 'paragraph', content: [{ type: 'text', text: long }] }] });
    const engine = new AmazonTranslateEngine({ client, retry: noSleep });
    const variant = await translateVariant(release, 'fr', { engine, memory: new InMemoryTranslationMemory(), glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES });
    expect(utf8Bytes(long)).toBeGreaterThan(5_000);
    expect(blockText(variant.content.body[0]!)).toBe(long);
    expect(variant.ledger.estimatedCostUsd).toBeCloseTo((variant.ledger.billedCharacters * 15) / 1e6, 9);
    for (const input of sentInputs()) expect(utf8Bytes(input.Text!)).toBeLessThanOrEqual(10_000);
  });
});
