import { describe, expect, it } from 'vitest';
import { InputError, TranslationError } from '../../../../functions/core/errors';
import { blockText, contentOf, inlineText, type Block, type Inline } from '../../../../functions/core/release';
import { EMPTY_GLOSSARY, InMemoryTranslationMemory, makeGlossary, parseGlossary, resolveTargets, translateRelease, translateVariant, type TranslateDeps } from '../../../../functions/core/translation/index';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';
import { placeholderIds, serialize, tokenize, utf8Bytes } from '../../../../functions/core/translation/placeholders';
import type { EngineRequest, TranslationEngine } from '../../../../functions/ports';
import { CountingEngine, faithfulTranslation } from './fake-engines';
import { makeRelease, paragraph, WIRE_BOILERPLATE } from './release-fixture';

function deps(engine: TranslationEngine, overrides: Partial<TranslateDeps> = {}): TranslateDeps {
  return { engine, memory: new InMemoryTranslationMemory(), glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES, ...overrides };
}

function codePoints(text: string): number {
  return [...text].length;
}

function blockPlain(block: Block): string {
  if (block.type === 'table' || block.type === 'picture') return blockText(block);
  return block.type === 'list' ? block.items.map(inlineText).join('\n') : inlineText(block.content);
}

describe('translateVariant: structure and protection', () => {
  it('keeps blocks, links, emphasis and breaks in place, and protected spans byte-identical', async () => {
    // Prepare
    const release = makeRelease();
    const engine = new CountingEngine();
    // Act
    const variant = await translateVariant(release, 'en', deps(engine));
    // Assess
    expect(variant.provenance).toEqual({ kind: 'machine', engine: 'counting' });
    expect(variant.content.body.map((b) => b.type)).toEqual(release.body.map((b) => b.type));
    const first = variant.content.body[0]!;
    expect(first.type).toBe('paragraph');
    const inlines = (first as { content: Inline[] }).content;
    expect(inlines.map((n) => n.type)).toEqual(['text', 'link', 'text', 'em', 'text']);
    expect(inlines[1]).toMatchObject({ type: 'link', href: 'https://www.state.gov/secretary', children: [{ type: 'text', text: 'AUSSENMINISTER ANTONY BLINKEN' }] });
    // The source tag and the wire name are protected automatically.
    expect(inlineText(inlines)).toMatch(/^\(SeaPRwire\) – IN EINER/);
    expect(blockPlain(variant.content.body[2]!)).toBe('ACME ROBOTICS (NASDAQ: ACME) MELDET REKORDZAHLEN. KONTAKT: presse@acme-robotics.de.');
    expect(variant.content.disclaimer).toContain('SeaPRwire (https://www.seaprwire.com/) GIBT');
    const list = variant.content.body[3] as Extract<Block, { type: 'list' }>;
    expect(list.items[1]).toEqual([{ type: 'text', text: 'ZWEITER' }, { type: 'break' }, { type: 'text', text: 'PUNKT' }]);
    // Protected text never reaches the engine.
    expect(engine.sentSegments().join(' ')).not.toMatch(/seaprwire\.com|presse@|NASDAQ|state\.gov/);
  });

  it.each([
    ['en', '“', '”'],
    ['fr', '« ', ' »'],
    ['ja', '「', '」'],
    ['de', '„', '“'],
  ])('maps quote marks to the marks of %s', async (target, open, close) => {
    // Declared Spanish so that every target here (English too) goes through the engine.
    const release = makeRelease({ language: 'es', body: [paragraph('“Indeed, the relationship is a one-way street”, said Blinken.')] });
    const variant = await translateVariant(release, target, deps(new CountingEngine()));
    expect(blockPlain(variant.content.body[0]!)).toBe(`${open}INDEED, THE RELATIONSHIP IS A ONE-WAY STREET${close}, SAID BLINKEN.`);
  });

  it('applies forced terms of the target language and keeps glossary names', async () => {
    const glossary = parseGlossary('doNotTranslate:\n  - Blinken\nforcedTerms:\n  en:\n    Top-Story: Top Story\n    Tagesnachrichten: Daily News\n', 'glossary.yaml');
    const release = makeRelease();
    const variant = await translateVariant(release, 'en', deps(new CountingEngine(), { glossary }));
    expect(variant.content.categories).toEqual(['Top Story', 'Daily News']);
    expect(blockPlain(variant.content.body[1]!)).toContain('SAGTE Blinken.');
    const fr = await translateVariant(release, 'fr', deps(new CountingEngine(), { glossary }));
    expect(fr.content.categories).toEqual(['TOP-STORY', 'TAGESNACHRICHTEN']);
  });

  it('decodes entities an engine returns exactly once', async () => {
    const release = makeRelease({ language: 'en', body: [paragraph('It\'s "fine" & more: &amp; stays.')] });
    const sent: string[] = [];
    const engine = new CountingEngine(10_000, (markup) => {
      sent.push(markup);
      return markup.replace(/'/g, '&#39;').replace(/"/g, '&quot;');
    });
    const variant = await translateVariant(release, 'de', deps(engine));
    expect(sent.find((s) => s.includes('more'))).toContain('&amp; more: &amp;amp; stays.');
    expect(blockPlain(variant.content.body[0]!)).toBe('It\'s "fine" & more: &amp; stays.');
  });

  it('human translations win, the source language returns the original, nothing is billed', async () => {
    const release = makeRelease({ translations: { 'en-GB': { ...contentOf(makeRelease()), headline: 'US warns Russia' } } });
    const engine = new CountingEngine();
    const human = await translateVariant(release, 'en', deps(engine));
    const original = await translateVariant(release, 'de', deps(engine));
    expect(human.provenance).toEqual({ kind: 'human', engine: 'human' });
    expect(human.content.headline).toBe('US warns Russia');
    expect(original.provenance).toEqual({ kind: 'original', engine: 'none' });
    expect(original.content).toEqual(contentOf(release));
    expect([human.ledger.billedCharacters, original.ledger.billedCharacters, engine.requests.length]).toEqual([0, 0, 0]);
  });
});

describe('translation memory and the cost ledger', () => {
  const targets = ['en', 'fr', 'ja'];

  it('bills a second identical release 0 characters', async () => {
    const engine = new CountingEngine();
    const shared = deps(engine);
    const first = await translateRelease(makeRelease(), targets, shared);
    const second = await translateRelease(makeRelease(), targets, shared);
    const ledgers = (outcomes: typeof first) => outcomes.map((o) => (o.status === 'translated' ? o.variant.ledger : undefined));
    expect(ledgers(first).every((l) => l!.billedCharacters > 0 && l!.requests === 1)).toBe(true);
    for (const [i, ledger] of ledgers(second).entries()) {
      expect(ledger).toEqual({ billedCharacters: 0, memoryCharacters: ledgers(first)[i]!.billedCharacters, requests: 0, estimatedCostUsd: 0 });
    }
  });

  it('bills a release sharing disclaimer and boilerplate only for its own segments', async () => {
    const engine = new CountingEngine();
    const shared = deps(engine);
    await translateRelease(makeRelease(), targets, shared);
    engine.requests.length = 0;
    const other = makeRelease({ id: 'acme-quartalszahlen', headline: 'Acme meldet Quartalszahlen', body: [paragraph('Der Umsatz stieg um zwölf Prozent.')] });
    const outcomes = await translateRelease(other, targets, shared);
    const sent = engine.sentSegments();
    expect(sent.some((s) => s.includes('Drittanbieter') || s.includes('Echtzeit'))).toBe(false);
    const unique = codePoints('Acme meldet Quartalszahlen') + codePoints('Der Umsatz stieg um zwölf Prozent.');
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('translated');
      if (outcome.status !== 'translated') continue;
      expect(outcome.variant.ledger.billedCharacters).toBe(unique);
      expect(outcome.variant.ledger.memoryCharacters).toBeGreaterThan(codePoints(WIRE_BOILERPLATE));
    }
  });

  it('bills a correction exactly the changed paragraph × languages', async () => {
    const engine = new CountingEngine(10_000);
    const shared = deps(engine, { prices: { counting: 20 } });
    const before = makeRelease({ body: [...makeRelease().body, paragraph('Die Zahlen wurden am Dienstag bestätigt.')] });
    await translateRelease(before, targets, shared);
    const changed = 'Die Zahlen wurden am Mittwoch bestätigt.';
    const correction = makeRelease({ version: 2, body: [...makeRelease().body, paragraph(changed)] });
    const outcomes = await translateRelease(correction, targets, shared);
    const billed = outcomes.map((o) => (o.status === 'translated' ? o.variant.ledger.billedCharacters : NaN));
    expect(billed.reduce((a, b) => a + b, 0)).toBe(codePoints(changed) * targets.length);
    const ledger = outcomes[0]!.status === 'translated' ? outcomes[0]!.variant.ledger : undefined;
    expect(ledger).toMatchObject({ requests: 1, estimatedCostUsd: (codePoints(changed) * 20) / 1e6 });
  });

  it('keys the memory on the glossary version: a glossary change re-translates', async () => {
    const engine = new CountingEngine();
    const memory = new InMemoryTranslationMemory();
    await translateVariant(makeRelease(), 'en', deps(engine, { memory }));
    const again = await translateVariant(makeRelease(), 'en', deps(engine, { memory, glossary: makeGlossary(['Blinken']) }));
    expect(again.ledger.billedCharacters).toBeGreaterThan(0);
  });
});

describe('bad engine answers and bad input', () => {
  it('retries a placeholder mismatch once and accepts a good second answer', async () => {
    const engine = new CountingEngine(10_000, (markup, _request, call) => (call === 1 ? markup.replace(/<x\d+\/>/, '') : faithfulTranslation(markup)));
    const variant = await translateVariant(makeRelease(), 'en', deps(engine));
    expect(variant.ledger.requests).toBe(2);
  });

  it('fails only the language whose engine answers keep dropping placeholders', async () => {
    const engine = new CountingEngine(10_000, (markup, request) => (request.targetLanguage === 'fr' ? markup.replace(/<g(\d+)>/, '') : faithfulTranslation(markup)));
    const outcomes = await translateRelease(makeRelease(), ['en', 'fr', 'ja'], deps(engine));
    expect(outcomes.map((o) => o.status)).toEqual(['translated', 'failed', 'translated']);
    const failed = outcomes[1]!;
    expect(failed.status === 'failed' && failed.error.code).toBe('PLACEHOLDER_MISMATCH');
    expect(failed.status === 'failed' && failed.error.message).toMatch(/body\[0\]: .*g\d+/);
    expect(engine.requests.filter((r) => r.targetLanguage === 'fr')).toHaveLength(2);
  });

  it('detects an engine returning too few segments, after one retry', async () => {
    let calls = 0;
    const engine: TranslationEngine = {
      name: 'short',
      kind: 'machine',
      maxRequestBytes: 10_000,
      supports: () => true,
      translate: async (request: EngineRequest) => {
        calls++;
        return request.segments.slice(1);
      },
    };
    const error = await translateVariant(makeRelease(), 'en', deps(engine)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranslationError);
    expect(error).toMatchObject({ code: 'SEGMENT_COUNT_MISMATCH', retryable: false });
    expect(calls).toBe(2);
  });

  it('detects an engine returning an extra segment, after one retry', async () => {
    let calls = 0;
    const engine: TranslationEngine = {
      name: 'long',
      kind: 'machine',
      maxRequestBytes: 10_000,
      supports: () => true,
      translate: async (request: EngineRequest) => {
        calls++;
        return [...request.segments, 'Ein zusätzliches Segment.'];
      },
    };
    const error = await translateVariant(makeRelease(), 'en', deps(engine)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranslationError);
    expect(error).toMatchObject({ code: 'SEGMENT_COUNT_MISMATCH', retryable: false });
    expect((error as Error).message).toMatch(/sent \d+ segments, got \d+ back \(twice/);
    expect(calls).toBe(2);
  });

  it('splits a paragraph over the request limit at sentences, each request under the limit', async () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Satz Nummer ${i + 1} berichtet über die Lage in der Region und ihre Folgen.`);
    const long = sentences.join(' ');
    const engine = new CountingEngine(400);
    const release = makeRelease({ body: [paragraph(long)], boilerplates: [], disclaimer: undefined });
    const variant = await translateVariant(release, 'en', deps(engine));
    expect(utf8Bytes(long)).toBeGreaterThan(2_000);
    for (const request of engine.requests) expect(utf8Bytes(request.segments.join(''))).toBeLessThanOrEqual(400);
    const pieces = engine.sentSegments().filter((s) => s.startsWith('Satz'));
    expect(pieces.length).toBeGreaterThan(5);
    // Every piece ends at a sentence end: never mid-word.
    for (const piece of pieces) expect(piece).toMatch(/Folgen\.$/);
    expect(blockPlain(variant.content.body[0]!)).toBe(long.toUpperCase());
  });

  it('rejects an unknown target language, naming it and listing the supported ones', () => {
    const release = makeRelease({ targets: ['en', 'tlh'] });
    const error = (() => {
      try {
        resolveTargets(release, ['en']);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_LANGUAGE' });
    expect((error as Error).message).toMatch(/"tlh".*en, ko, ja, ar, zh-Hans/);
  });

  it('rejects a target outside the wire languages in translateVariant too, with the supported ones as hint', async () => {
    const error = await translateVariant(makeRelease(), 'tlh', deps(new CountingEngine())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_LANGUAGE', hint: expect.stringMatching(/^use one of .*en, .*zh-Hans/) });
    expect((error as Error).message).toMatch(/"tlh".*use one of/);
  });

  it('resolves targets: normalized, deduplicated, without the source language, defaults otherwise', () => {
    expect(resolveTargets(makeRelease({ targets: ['EN', 'zh-CN', 'de', 'en-US', 'pt-BR'] }), ['fr'])).toEqual(['en', 'zh-Hans', 'pt']);
    expect(resolveTargets(makeRelease(), ['en', 'de', 'zh-TW'])).toEqual(['en', 'zh-Hant']);
  });
});

describe('concurrency', () => {
  it('never runs more engine requests at once than configured, across languages', async () => {
    let inFlight = 0;
    let peak = 0;
    const engine: TranslationEngine = {
      name: 'slow',
      kind: 'machine',
      maxRequestBytes: 300,
      supports: () => true,
      translate: async (request) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return request.segments.map(faithfulTranslation);
      },
    };
    const outcomes = await translateRelease(makeRelease(), ['en', 'fr', 'ja', 'ko', 'ar'], deps(engine, { concurrency: 2 }));
    expect(outcomes.every((o) => o.status === 'translated')).toBe(true);
    expect(peak).toBe(2);
  });
});

describe('request ids', () => {
  it('makes placeholder ids unique across the segments of one request', async () => {
    const engine = new CountingEngine();
    await translateVariant(makeRelease(), 'en', deps(engine));
    const ids = engine.requests[0]!.segments.flatMap(placeholderIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect(serialize(tokenize(engine.requests[0]!.segments[0]!))).toBe(engine.requests[0]!.segments[0]);
  });
});
