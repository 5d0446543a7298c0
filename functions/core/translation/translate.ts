/**
 * The translation use case: one release into one (translateVariant) or many (translateRelease)
 * languages, through an injected engine and translation memory.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { InputError, PolywireError, TranslationError } from '../errors';
import { normalizeLanguageTag, WIRE_LANGUAGES, wireLanguage } from '../languages';
import { contentOf, type Release, type ReleaseContent } from '../release';
import { EMPTY_LEDGER, VariantSchema, type Ledger, type Variant } from '../variant';
import type { MemoryEntry, TranslationEngine, TranslationMemory } from '../../ports';
import { mergeGlossary, type Glossary } from './glossary';
import { estimateCostUsd, type PriceTable } from './ledger';
import { memoryKey } from './memory';
import { countCharacters, hasTranslatableText, placeholderIds, placeholderMismatch, renumber, utf8Bytes } from './placeholders';
import { compileProtector } from './protect';
import { extractUnits, joinPieces, mapTranslatable, markupToInlines, markupToPlain, splitToFit, UnitTooLargeError, type Piece, type TargetStyle } from './segment';

export interface TranslateDeps {
  engine: TranslationEngine;
  memory: TranslationMemory;
  glossary: Glossary;
  prices: PriceTable;
  /** Parallel engine requests (across all languages of a translateRelease call); default 4. */
  concurrency?: number;
}

export type LanguageOutcome = { language: string; status: 'translated'; variant: Variant } | { language: string; status: 'failed'; error: { code: string; message: string } };

const DEFAULT_CONCURRENCY = 4;

/**
 * Translates a release into one language.
 *
 * A human translation supplied with the release wins (provenance `human`, nothing billed); the
 * source language gives the original back. Otherwise the content is cut into segments, the
 * translation memory answers what it knows, and only the misses go to the engine, packed into
 * requests under its byte limit. Every answer is checked (segment count, placeholders) and
 * retried once when wrong; a second wrong answer fails the language with a TranslationError
 * (`SEGMENT_COUNT_MISMATCH`, `PLACEHOLDER_MISMATCH`, `EMPTY_TRANSLATION`).
 *
 * @example
 * const variant = await translateVariant(release, 'fr', { engine, memory, glossary, prices: DEFAULT_PRICES });
 */
export async function translateVariant(release: Release, targetLanguage: string, deps: TranslateDeps): Promise<Variant> {
  return translateVariantWith(release, targetLanguage, deps, pLimit(deps.concurrency ?? DEFAULT_CONCURRENCY));
}

/**
 * Translates a release into several languages in parallel. One language failing (after its
 * retry) never blocks the others: it is reported as `status: 'failed'` with the reason.
 */
export async function translateRelease(release: Release, targets: readonly string[], deps: TranslateDeps): Promise<LanguageOutcome[]> {
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  // Two limiters: languages wait on requests, so sharing one could deadlock.
  const requests = pLimit(concurrency);
  const languages = pLimit(Math.max(concurrency, 2));
  return Promise.all(
    targets.map((language) =>
      languages(async (): Promise<LanguageOutcome> => {
        try {
          return { language, status: 'translated', variant: await translateVariantWith(release, language, deps, requests) };
        } catch (error) {
          return { language, status: 'failed', error: errorSummary(error) };
        }
      }),
    ),
  );
}

/** The code and message of a failed language, for its outcome; unexpected errors read as `INTERNAL`. */
function errorSummary(error: unknown): { code: string; message: string } {
  if (error instanceof PolywireError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function canonicalTag(tag: string, field: string, release: Release): string {
  try {
    return normalizeLanguageTag(tag);
  } catch (cause) {
    throw new InputError('UNSUPPORTED_LANGUAGE', `${JSON.stringify(tag)} is not a language tag`, { file: release.source.name, field }, 'use a BCP 47 tag such as de, fr or zh-Hans', { cause });
  }
}

async function translateVariantWith(release: Release, targetLanguage: string, deps: TranslateDeps, limit: LimitFunction): Promise<Variant> {
  const target = canonicalTag(targetLanguage, 'target language', release);
  const source = canonicalTag(release.language, 'language', release);
  const base = { releaseId: release.id, version: release.version, language: target, sourceLanguage: release.language };

  const human = humanTranslation(release, target);
  if (human) return finish({ ...base, content: human, provenance: { kind: 'human', engine: 'human' }, ledger: { ...EMPTY_LEDGER } });
  if (target === source) {
    return finish({ ...base, content: contentOf(release), provenance: { kind: 'original', engine: 'none' }, ledger: { ...EMPTY_LEDGER } });
  }

  const { engine } = deps;
  if (!wireLanguage(target)) {
    throw new InputError(
      'UNSUPPORTED_LANGUAGE',
      `target language ${JSON.stringify(targetLanguage)} is not one of the wire's languages`,
      { file: release.source.name, field: 'target language' },
      `use one of ${WIRE_LANGUAGES.map((l) => l.tag).join(', ')}`,
    );
  }
  if (!engine.supports(target)) {
    throw new TranslationError('UNSUPPORTED_BY_ENGINE', `engine ${engine.name} cannot translate into ${target}`, { retryable: false });
  }

  // The wire's name and its source tag are protected automatically, with the release's terms.
  const automatic = [release.sourceTag?.wire, release.sourceTag?.raw.trim()].filter((t): t is string => !!t);
  const glossary = mergeGlossary(deps.glossary, [...(release.glossary ?? []), ...automatic]);
  const protector = compileProtector(glossary.doNotTranslate, glossary.forcedTerms[target] ?? {});
  const style: TargetStyle = { quotes: wireLanguage(target)!.quotes };

  const units = extractUnits(contentOf(release), protector);
  const requestBytes = (segments: readonly string[]): number => (engine.requestBytes ? engine.requestBytes(segments) : segments.reduce((sum, s) => sum + utf8Bytes(s), 0));
  const fits = (markup: string): boolean => requestBytes([markup]) <= engine.maxRequestBytes;

  const unitPieces: Array<Piece[] | undefined> = units.map((unit) => {
    if (!hasTranslatableText(unit.markup)) return undefined;
    try {
      return splitToFit(unit.markup, fits, source);
    } catch (error) {
      if (!(error instanceof UnitTooLargeError)) throw error;
      throw new InputError(
        'SEGMENT_TOO_LARGE',
        `${unit.path} cannot be cut into requests of ${engine.maxRequestBytes} bytes without breaking a link or emphasis`,
        { file: release.source.name, field: unit.path },
        'shorten the emphasized or linked text',
        { cause: error },
      );
    }
  });

  // The memory key uses the project glossary's version: per-release terms already change the
  // text of the segments they occur in (they become placeholders), and only those.
  const keyOf = (markup: string): string => memoryKey({ sourceLanguage: source, targetLanguage: target, text: markup, glossaryVersion: deps.glossary.version, engine: engine.name });
  const uniqueMarkups = [...new Set(unitPieces.flatMap((pieces) => pieces?.map((p) => p.markup) ?? []))];
  const keys = new Map(uniqueMarkups.map((m) => [m, keyOf(m)]));
  const remembered = await deps.memory.lookup([...new Set(keys.values())]);

  const translated = new Map<string, string>();
  const ledger: Ledger = { ...EMPTY_LEDGER };
  const misses: string[] = [];
  for (const markup of uniqueMarkups) {
    const hit = remembered.get(keys.get(markup)!);
    if (hit !== undefined && placeholderMismatch(markup, hit) === undefined) {
      translated.set(markup, hit);
      ledger.memoryCharacters += countCharacters(markup);
    } else misses.push(markup);
  }

  const batches = packRequests(misses, requestBytes, engine.maxRequestBytes);
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        const results = await translateBatch(batch, source, target, engine, ledger, units);
        const entries: MemoryEntry[] = batch.map((markup, i) => ({ key: keys.get(markup)!, text: results[i]! }));
        batch.forEach((markup, i) => translated.set(markup, results[i]!));
        await deps.memory.store(entries);
      }),
    ),
  );
  ledger.estimatedCostUsd = estimateCostUsd(engine.name, ledger.billedCharacters, deps.prices);

  let index = 0;
  const nextUnit = (): string => {
    const unit = units[index];
    const pieces = unitPieces[index];
    index++;
    if (!pieces) return unit!.markup;
    return joinPieces(
      pieces.map((p) => translated.get(p.markup)!),
      pieces,
      target,
    );
  };
  const content: ReleaseContent = mapTranslatable(
    contentOf(release),
    () => {
      const spans = units[index]!.spans;
      return markupToInlines(nextUnit(), spans, style);
    },
    () => {
      const spans = units[index]!.spans;
      return markupToPlain(nextUnit(), spans, style);
    },
  );
  return finish({ ...base, content, provenance: { kind: engine.kind, engine: engine.name }, ledger });
}

function finish(variant: Variant): Variant {
  const result = VariantSchema.safeParse(variant);
  if (!result.success) {
    throw new TranslationError('INVALID_VARIANT', `translated variant ${variant.language} is not valid: ${result.error.issues[0]?.message ?? 'unknown issue'} at ${result.error.issues[0]?.path.join('.')}`, {
      retryable: false,
    });
  }
  return result.data;
}

function humanTranslation(release: Release, target: string): ReleaseContent | undefined {
  for (const [tag, content] of Object.entries(release.translations ?? {})) {
    try {
      if (normalizeLanguageTag(tag) === target) return content;
    } catch {
      // An unparseable key cannot be the target; the parser reports it.
    }
  }
  return undefined;
}

interface RequestPlan {
  /** Segments as sent: ids made unique across the request, so a segment swap is detected. */
  segments: string[];
  offsets: number[];
}

function planRequest(markups: readonly string[]): RequestPlan {
  const segments: string[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const markup of markups) {
    const ids = placeholderIds(markup);
    const shift = offset - Math.min(...ids, 1) + 1;
    offsets.push(shift);
    segments.push(shift === 0 ? markup : renumber(markup, (id) => id + shift));
    offset = ids.length === 0 ? offset : Math.max(...ids) + shift;
  }
  return { segments, offsets };
}

/** Greedy packing in document order: each request stays within the engine's byte limit. */
export function packRequests(markups: readonly string[], requestBytes: (segments: readonly string[]) => number, maxBytes: number): string[][] {
  // The same batches as adding one segment at a time until the next does not fit, found by
  // galloping then bisecting over the batch's end: re-measuring the growing batch after every
  // segment was quadratic in its length (a thousand short paragraphs per request).
  const fits = (start: number, end: number): boolean => requestBytes(planRequest(markups.slice(start, end)).segments) <= maxBytes;
  const batches: string[][] = [];
  let start = 0;
  while (start < markups.length) {
    let good = start + 1; // a segment alone always makes a batch
    let bad = markups.length + 1;
    for (let step = 1; good < markups.length; step *= 2) {
      const probe = Math.min(good + step, markups.length);
      if (!fits(start, probe)) {
        bad = probe;
        break;
      }
      good = probe;
    }
    while (bad - good > 1 && good < markups.length) {
      const mid = (good + bad) >> 1;
      if (fits(start, mid)) good = mid;
      else bad = mid;
    }
    batches.push(markups.slice(start, good));
    start = good;
  }
  return batches;
}

async function translateBatch(batch: readonly string[], source: string, target: string, engine: TranslationEngine, ledger: Ledger, units: readonly { path: string; markup: string }[]): Promise<string[]> {
  const plan = planRequest(batch);
  const billed = batch.reduce((sum, m) => sum + countCharacters(m), 0);
  let problem: { code: string; message: string } | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    ledger.requests++;
    ledger.billedCharacters += billed;
    const answer = await engine.translate({ sourceLanguage: source, targetLanguage: target, segments: plan.segments });
    problem = checkAnswer(plan.segments, answer, units, batch);
    if (!problem) return answer.map((text, i) => renumber(text.trim(), (id) => id - plan.offsets[i]!));
  }
  throw new TranslationError(problem!.code, `${engine.name} ${source}→${target}: ${problem!.message} (twice; the language is not published)`, { retryable: false });
}

function checkAnswer(sent: readonly string[], answer: readonly unknown[], units: readonly { path: string; markup: string }[], batch: readonly string[]): { code: string; message: string } | undefined {
  if (!Array.isArray(answer) || answer.length !== sent.length) {
    return { code: 'SEGMENT_COUNT_MISMATCH', message: `sent ${sent.length} segments, got ${Array.isArray(answer) ? answer.length : 'no list'} back` };
  }
  for (let i = 0; i < sent.length; i++) {
    const text = answer[i];
    // Looked up only for a problem: searching every unit for every segment was quadratic in the
    // number of paragraphs.
    const where = (): string => units.find((u) => u.markup.includes(batch[i]!))?.path ?? `segment ${i + 1}`;
    if (typeof text !== 'string' || text.trim() === '') {
      return { code: 'EMPTY_TRANSLATION', message: `empty translation for ${where()}` };
    }
    const mismatch = placeholderMismatch(sent[i]!, text);
    if (mismatch) return { code: 'PLACEHOLDER_MISMATCH', message: `${where()}: ${mismatch}` };
  }
  return undefined;
}
