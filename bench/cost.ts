/**
 * Translation cost: what the generated wire corpus bills through the real `translateRelease`
 * with one shared translation memory, against whole-document translation and against the limit
 * (every distinct segment paid once per language), computed from the generator's own model.
 */
import { contentOf, type Release } from '../functions/core/release';
import { DEFAULT_TARGET_LANGUAGES } from '../functions/core/languages';
import { InMemoryTranslationMemory, makeGlossary, translateRelease } from '../functions/core/translation/index';
import { DEFAULT_PRICES } from '../functions/adapters/engines/registry';
import { generateCorpus, ISSUERS, maskedSegment, protectedTerms, textCharacters, uniqueSegmentLimit, WIRE_NAME, type CorpusDocument } from './corpus';
import { CountingEngine } from './engines';
import { formatInteger, round, type Benchmark } from './harness';

const TITLE = 'Translation cost';
const SOURCE_LANGUAGE = 'en';
const AMAZON_TRANSLATE_USD_PER_MILLION = DEFAULT_PRICES['amazon-translate'] ?? 15;

/** Sorted-key JSON, so two structurally equal contents compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** Runs the upload through the real parser; the corpus' own model is the fallback and the yardstick. */
async function loadReleases(corpus: readonly CorpusDocument[]): Promise<{ releases: Release[]; parsed: boolean; mismatches: string[] }> {
  let parseRelease: ((input: { name: string; bytes: Uint8Array }) => Promise<Release>) | undefined;
  try {
    ({ parseRelease } = await import('../functions/core/parse/index'));
  } catch {
    parseRelease = undefined;
  }
  if (!parseRelease) return { releases: corpus.map((d) => d.release), parsed: false, mismatches: [] };
  const releases: Release[] = [];
  const mismatches: string[] = [];
  for (const document of corpus) {
    const parsed = await parseRelease({ name: document.name, bytes: new TextEncoder().encode(document.text) });
    // Corrections are uploaded as new files; the pipeline links them to the original by id.
    const release = { ...parsed, id: document.id, version: document.version };
    if (canonical(contentOf(release)) !== canonical(contentOf(document.release))) mismatches.push(document.name);
    releases.push(release);
  }
  return { releases, parsed: true, mismatches };
}

export const run: Benchmark = async ({ log }) => {
  const corpus = generateCorpus();
  const targets = DEFAULT_TARGET_LANGUAGES.filter((tag) => tag !== SOURCE_LANGUAGE);
  const { releases, parsed, mismatches } = await loadReleases(corpus);
  log(`${corpus.length} documents ${parsed ? 'parsed' : 'built as Release models'}; translating into ${targets.length} languages`);

  const engine = new CountingEngine();
  const memory = new InMemoryTranslationMemory();
  const glossary = makeGlossary([WIRE_NAME, ...ISSUERS.map((i) => i.name)]);
  let ledgerCharacters = 0;
  let memoryCharacters = 0;
  let failed = 0;
  // One release after another, as the wire receives them: the memory grows as it goes.
  for (const release of releases) {
    const outcomes = await translateRelease(release, targets, { engine, memory, glossary, prices: DEFAULT_PRICES });
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') failed++;
      else {
        ledgerCharacters += outcome.variant.ledger.billedCharacters;
        memoryCharacters += outcome.variant.ledger.memoryCharacters;
      }
    }
  }

  const languages = targets.length;
  const limit = uniqueSegmentLimit(corpus, 'block', maskedSegment(protectedTerms()), textCharacters);
  const limitCharacters = limit.characters * languages;
  const naiveCharacters = corpus.reduce((sum, d) => sum + [...d.text].length, 0) * languages;
  const perReleaseCharacters = limit.totalCharacters * languages;
  const billed = engine.characters;
  const usd = (characters: number) => `USD ${((characters * AMAZON_TRANSLATE_USD_PER_MILLION) / 1_000_000).toFixed(2)}`;
  const saving = 1 - billed / naiveCharacters;
  const met = billed === limitCharacters && failed === 0;

  const notes = [
    `Corpus: ${corpus.length - corpus.filter((d) => d.version > 1).length} releases from ${ISSUERS.length} issuers plus ${corpus.filter((d) => d.version > 1).length} corrected versions (one body paragraph changed), English source (\`bench/corpus.ts\`, seed fixed). ${parsed ? `Every upload goes through \`parseRelease\` (${mismatches.length === 0 ? "each parsed content equals the generator's model" : `${mismatches.length} parsed contents differ from the generator's model, e.g. ${mismatches.slice(0, 3).join(', ')}`}).` : "The parser was not available: releases are the generator's Release models."}`,
    `Targets: the 15 wire languages minus the source language English = ${languages} languages per release; ${corpus.length * languages} variants. Engine: a counting engine behind the real \`translateRelease\` with one shared \`InMemoryTranslationMemory\` and a glossary of the wire's and issuers' names.`,
    `Limit: the distinct segments of the corpus (one per headline, paragraph, quote, category, disclaimer, boilerplate title and block), decided by the generator's model with glossary terms, the wire's URL and quote marks masked out (they travel as placeholders and are never billed), × ${languages}. Billed characters are counted by the engine itself (text between placeholders, in code points), not taken from the ledger.`,
    `Naive: every document's whole text (contacts included) sent once per language, as whole-document translation does. Prices at Amazon Translate's ~USD ${AMAZON_TRANSLATE_USD_PER_MILLION} per million characters (unverified list price).`,
  ];
  if (ledgerCharacters !== billed)
    notes.push(
      `The variants' ledgers sum to ${formatInteger(ledgerCharacters)} billed characters while the engine counted ${formatInteger(billed)}: the ledger ${ledgerCharacters > billed ? 'over' : 'under'}states the bill.`,
    );
  if (engine.duplicateSegments > 0) notes.push(`${engine.duplicateSegments} segments were sent twice for the same language: the memory missed them.`);
  if (!met && failed === 0 && billed > limitCharacters)
    notes.push('Billed exceeds the limit: some repeated segment was paid again — check the memory key (normalization, glossary version) and whether lookups happen before requests.');
  if (!met && billed < limitCharacters)
    notes.push("Billed is below the limit: the pipeline deduplicates something the generator's model counts as distinct (e.g. a span it protects that the benchmark does not mask), or text is not being translated.");
  if (failed > 0) notes.push(`${failed} language outcomes failed.`);

  return {
    id: 'cost',
    title: TITLE,
    method: `${corpus.length} generated releases × ${languages} target languages through the real translation use case with a shared translation memory; the engine counts what it is sent.`,
    goals: [{ text: 'billed characters == limit (each distinct segment once per language)', met, measured: `${formatInteger(billed)} ${billed === limitCharacters ? '==' : '≠'} ${formatInteger(limitCharacters)}` }],
    figures: [
      { name: 'Billed characters (engine count)', value: billed, unit: 'chars', display: `${formatInteger(billed)} (${usd(billed)})` },
      { name: 'Ledger billed characters (sum of variants)', value: ledgerCharacters, unit: 'chars', display: formatInteger(ledgerCharacters) },
      { name: 'Served from translation memory', value: memoryCharacters, unit: 'chars', display: formatInteger(memoryCharacters) },
      {
        name: 'Limit: distinct segments × languages',
        value: limitCharacters,
        unit: 'chars',
        display: `${formatInteger(limitCharacters)} (${formatInteger(limit.segments)} distinct of ${formatInteger(limit.totalSegments)} segments)`,
      },
      { name: 'Naive: whole documents × languages', value: naiveCharacters, unit: 'chars', display: `${formatInteger(naiveCharacters)} (${usd(naiveCharacters)})` },
      { name: 'Without memory: every segment of every release × languages', value: perReleaseCharacters, unit: 'chars', display: `${formatInteger(perReleaseCharacters)} (${usd(perReleaseCharacters)})` },
      { name: 'Saving vs naive', value: round(saving, 4), unit: '', display: `${(saving * 100).toFixed(1)} % (naive costs ${(naiveCharacters / billed).toFixed(2)} × billed)` },
      { name: 'Engine requests', value: engine.requests, unit: '', display: `${formatInteger(engine.requests)} (largest ${formatInteger(engine.largestRequestBytes)} bytes)` },
      { name: 'Markup characters sent (placeholders included)', value: engine.rawCharacters, unit: 'chars', display: formatInteger(engine.rawCharacters) },
    ],
    notes,
  };
};
