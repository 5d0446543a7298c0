/**
 * A deterministic, generated wire corpus for the cost and throughput benchmarks: releases from a
 * handful of issuers that share what real wire traffic shares — the wire's third-party disclaimer,
 * its own boilerplate, a category vocabulary, each issuer's "About" paragraphs and stock sentences —
 * plus corrected versions that change one paragraph. Seeded PRNG, no network, no clock: the same
 * options give byte-identical sources on every machine.
 *
 * Each document is produced twice from one model: as the plain-text upload a wire would receive
 * (shaped like `seeds/seaprwire-de-2024-blinken.txt`, for the parser) and as its list of
 * translatable blocks split into sentences (for computing the cost limit independently of the
 * code under test).
 */
import { createHash } from 'node:crypto';
import { ReleaseSchema, type Block, type Release } from '../functions/core/release';

/** mulberry32: small, fast, and good enough to pick words; deterministic across platforms. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Picker {
  constructor(private readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
  /** `count` distinct items, in the list's order. */
  some<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(Math.floor(this.random() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]!);
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
}

export const WIRE_NAME = 'SeaPRwire';
export const SOURCE_TAG = `(${WIRE_NAME}) –`;
export const DISCLAIMER = 'The article is provided by a third-party content provider. SeaPRwire (https://www.seaprwire.com/) makes no warranties or representations in connection with it.';
export const WIRE_BOILERPLATE =
  'SeaPRwire delivers real-time press release distribution for corporations and institutions, reaching more than 6,500 media stores, 86,000 editors and journalists, and 3.5 million professional desktops in 90 countries. SeaPRwire supports press release distribution in English, Korean, Japanese, Arabic, Simplified Chinese, Traditional Chinese, Vietnamese, Thai, Indonesian, Malay, German, Russian, French, Spanish, Portuguese and other languages.';
export const CATEGORIES = ['Top Story', 'Daily News', 'Technology', 'Business', 'Finance', 'Health', 'Energy', 'Automotive', 'Retail', 'Logistics', 'Artificial Intelligence', 'Sustainability'] as const;

export interface Issuer {
  name: string;
  spokesperson: string;
  title: string;
  industry: string;
  products: readonly string[];
  about: readonly string[];
  /** Sentences the issuer repeats across its releases (outlook, availability, invitations). */
  stock: readonly string[];
  contact: readonly string[];
}

export const ISSUERS: readonly Issuer[] = [
  {
    name: 'Northwind Robotics',
    spokesperson: 'Mei Lin Tan',
    title: 'chief executive officer',
    industry: 'warehouse automation',
    products: ['autonomous picking arm', 'fleet orchestration platform', 'inventory scanning drone', 'collaborative sorting cell'],
    about: [
      'Northwind Robotics designs and builds autonomous systems for warehouses, ports and factories. Founded in 2014, the company serves more than 400 customers in 30 countries from offices in Singapore, Rotterdam and Austin.',
      'Its platform combines computer vision, motion planning and fleet software so that operators can automate one aisle at a time without replacing existing equipment.',
    ],
    stock: [
      'The company expects to ship the first units to customers in the coming quarter.',
      'Northwind Robotics will demonstrate the system at its booth during the upcoming industry exhibition.',
      'Pricing and availability vary by region and will be announced by local partners.',
    ],
    contact: ['Media Contact', 'Aisha Rahman', 'Northwind Robotics', 'press@northwind-robotics.example', '+65 6555 0142'],
  },
  {
    name: 'Helios Grid Energy',
    spokesperson: 'Javier Ortega',
    title: 'managing director',
    industry: 'renewable power',
    products: ['battery storage park', 'solar tracking system', 'grid balancing service', 'offshore wind contract'],
    about: [
      'Helios Grid Energy develops, finances and operates solar, wind and storage assets across Europe and Latin America. The company manages a portfolio of more than 7 gigawatts in operation or under construction.',
      'Helios Grid Energy is committed to delivering clean, affordable power and to working with local communities at every stage of a project.',
    ],
    stock: [
      'Construction is scheduled to begin once all permits have been granted.',
      'The project will supply enough electricity for tens of thousands of households each year.',
      'Helios Grid Energy will publish further details together with its next quarterly results.',
    ],
    contact: ['Press Contact', 'Lucia Fernandez', 'Helios Grid Energy', 'media@heliosgrid.example', '+34 910 555 018'],
  },
  {
    name: 'Kestrel Health Labs',
    spokesperson: 'Dr Priya Natarajan',
    title: 'chief medical officer',
    industry: 'diagnostics',
    products: ['rapid blood panel', 'home testing kit', 'clinical decision assistant', 'genomic screening service'],
    about: [
      'Kestrel Health Labs develops diagnostic tests and software that help clinicians detect disease earlier and treat patients with more confidence. Its laboratories process millions of samples every year.',
      'The company partners with hospitals, insurers and research institutions to bring validated diagnostics to patients in North America, Europe and Asia.',
    ],
    stock: [
      'The test is intended for use by healthcare professionals only.',
      'Kestrel Health Labs will present the full study results at an upcoming medical congress.',
      'Regulatory submissions in additional markets are planned for next year.',
    ],
    contact: ['Media Contacts', 'Thomas Reilly', 'Kestrel Health Labs', 'press@kestrelhealth.example', '+1 617 555 0199'],
  },
  {
    name: 'Lumen Pay',
    spokesperson: 'Andi Wijaya',
    title: 'co-founder and president',
    industry: 'digital payments',
    products: ['merchant payment app', 'cross-border transfer service', 'small business credit line', 'instant payout feature'],
    about: [
      'Lumen Pay is a digital payments company that helps merchants and consumers in Southeast Asia send, receive and manage money. The service is used by more than 12 million people and 800,000 merchants.',
      'Lumen Pay is licensed and supervised by the relevant financial authorities in each market where it operates.',
    ],
    stock: [
      'The feature is available now on Android and iOS at no additional cost.',
      'Lumen Pay plans to extend the service to further markets in the region.',
      'Merchants can sign up through the Lumen Pay business portal.',
    ],
    contact: ['Media Contact', 'Siti Nurhaliza', 'Lumen Pay', 'press@lumenpay.example', '+62 21 5550 1234'],
  },
  {
    name: 'Aurora Mobility',
    spokesperson: 'Katrin Vogel',
    title: 'head of product',
    industry: 'electric vehicles',
    products: ['electric delivery van', 'fast charging network', 'battery leasing plan', 'fleet telematics suite'],
    about: [
      'Aurora Mobility builds electric vehicles and charging services for commercial fleets. The company operates assembly plants in Germany and Mexico and a charging network of more than 5,000 points.',
      'Aurora Mobility aims to make zero-emission transport the most economical choice for every fleet operator.',
    ],
    stock: [
      'Orders can be placed through authorized Aurora Mobility dealers.',
      'Deliveries to the first fleet customers are expected to start in the second half of the year.',
      'Aurora Mobility will host a test drive event for journalists and fleet managers.',
    ],
    contact: ['Press Contact', 'Jonas Becker', 'Aurora Mobility', 'presse@aurora-mobility.example', '+49 89 5550 7788'],
  },
  {
    name: 'Meridian Foods',
    spokesperson: 'Camila Souza',
    title: 'chief sustainability officer',
    industry: 'food and beverages',
    products: ['plant-based snack line', 'recyclable packaging program', 'regional distribution hub', 'farmer partnership fund'],
    about: [
      'Meridian Foods produces and distributes packaged foods and beverages in more than 40 countries. Its brands are found in supermarkets, convenience stores and restaurants across the Americas.',
      'The company sources from more than 20,000 farmers and has committed to fully recyclable packaging across its portfolio.',
    ],
    stock: [
      'The products will be available in major supermarkets starting next month.',
      'Meridian Foods will report on progress in its annual sustainability report.',
      'Further markets will follow according to local demand.',
    ],
    contact: ['Media Contact', 'Rafael Lima', 'Meridian Foods', 'imprensa@meridianfoods.example', '+55 11 5555 0123'],
  },
];

const VERBS = ['launches', 'unveils', 'introduces', 'announces', 'expands', 'opens', 'completes', 'reports'] as const;
const PAST_VERBS = ['launched', 'unveiled', 'introduced', 'announced', 'presented', 'opened', 'completed', 'released'] as const;
const MARKETS = [
  'in Southeast Asia',
  'in Europe',
  'for small businesses',
  'for hospitals',
  'for logistics operators',
  'in Latin America',
  'for city fleets',
  'across the region',
  'for retailers',
  'in North America',
] as const;
const ADJECTIVES = ['new', 'next-generation', 'expanded', 'faster', 'more affordable', 'upgraded', 'award-winning', 'modular', 'secure', 'low-carbon'] as const;
const BENEFITS = [
  'cuts operating costs by up to {n} percent',
  'reduces waiting times for customers',
  'helps teams make decisions with better data',
  'lowers energy consumption during peak hours',
  'simplifies onboarding for new partners',
  'improves safety for workers and customers',
  'shortens delivery times by {n} percent',
  'gives managers a single view of every site',
  'meets the latest regulatory requirements',
  'scales from a single site to hundreds of locations',
] as const;
const CONTEXTS = [
  'Demand for {industry} has grown steadily as companies look for reliable ways to expand',
  'Analysts expect the market for {industry} to double within five years',
  'Customers in pilot programs reported measurable gains within the first {n} weeks',
  'The launch follows {n} months of testing with partners in several countries',
  'Rising costs have pushed many organizations to rethink how they invest in {industry}',
  'Industry surveys show that {n} percent of buyers plan to increase spending next year',
  'Regulators have encouraged operators to adopt proven solutions in {industry}',
  'The announcement comes as competition in {industry} intensifies worldwide',
] as const;
const QUOTES = [
  'This is an important step for our customers and for the whole industry',
  'We built this together with the people who use it every day',
  'Our goal is to make {product} available to everyone who needs it',
  'The results from our pilots gave us the confidence to move quickly',
  'We see strong demand and we are investing to meet it',
  'This partnership brings together two teams that share the same ambition',
  'We are proud of what our engineers have achieved in such a short time',
] as const;
const CORRECTIONS = [
  'An earlier version of this release misstated the expected launch date; the date has been updated',
  'This version corrects the number of participating partners stated in an earlier version',
  'The figures in this paragraph have been revised following an audit of the pilot results',
] as const;

/** A translatable block of a generated release, split into the sentences it was built from. */
export interface CorpusBlock {
  kind: 'headline' | 'paragraph' | 'quote' | 'category' | 'disclaimer' | 'boilerplate';
  sentences: string[];
}

export interface CorpusDocument {
  /** Upload name, e.g. `northwind-robotics-0007-v2.txt`. */
  name: string;
  id: string;
  version: number;
  issuer: string;
  /** The plain-text upload (UTF-8), shaped like a SeaPRwire release. */
  text: string;
  /** The translatable blocks, in reading order, as the generator built them. */
  blocks: CorpusBlock[];
  /** The same document as a validated Release model (for benchmarks that skip the parser). */
  release: Release;
}

export interface CorpusOptions {
  seed?: number;
  /** Original releases (corrections come on top). */
  releases?: number;
  /** Share of releases that get a corrected version (one paragraph changed). */
  correctedShare?: number;
  /** How many of `ISSUERS` publish (at least 1, at most ISSUERS.length). */
  issuers?: number;
  /** Extra body paragraphs to append, for size-limit tests (0 = the normal 4–8 paragraphs). */
  paddingParagraphs?: number;
}

export const DEFAULT_CORPUS: Required<CorpusOptions> = {
  seed: 20260511,
  releases: 200,
  correctedShare: 0.1,
  issuers: ISSUERS.length,
  paddingParagraphs: 0,
};

function fill(template: string, pick: Picker, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => (slot === 'n' ? String(pick.int(3, 60)) : (slots[slot] ?? slot)));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

interface Draft {
  id: string;
  issuer: Issuer;
  headline: string;
  body: CorpusBlock[];
  categories: string[];
}

function draftRelease(pick: Picker, issuer: Issuer, index: number, padding: number): Draft {
  const product = pick.pick(issuer.products);
  const adjective = pick.pick(ADJECTIVES);
  const market = pick.pick(MARKETS);
  const slots = { product, industry: issuer.industry, issuer: issuer.name };
  const headline = `${issuer.name} ${pick.pick(VERBS)} ${adjective} ${product} ${market}`;
  const sentence = (template: string) => `${capitalize(fill(template, pick, slots))}.`;
  const lead: CorpusBlock = {
    kind: 'paragraph',
    sentences: [`${issuer.name} today ${pick.pick(PAST_VERBS)} a ${adjective} ${product} ${market} that ${fill(pick.pick(BENEFITS), pick, slots)}.`, sentence(pick.pick(CONTEXTS))],
  };
  const body: CorpusBlock[] = [lead];
  const paragraphs = pick.int(3, 6) + padding;
  for (let p = 0; p < paragraphs; p++) {
    if (pick.chance(0.3)) {
      const quote = fill(pick.pick(QUOTES), pick, slots);
      body.push({ kind: 'quote', sentences: [`“${quote},” said ${issuer.spokesperson}, ${issuer.title} of ${issuer.name}.`] });
      continue;
    }
    const sentences = [sentence(pick.pick(CONTEXTS)), `The ${pick.pick(ADJECTIVES)} ${pick.pick(issuer.products)} ${fill(pick.pick(BENEFITS), pick, slots)}.`];
    if (pick.chance(0.5)) sentences.push(pick.pick(issuer.stock));
    body.push({ kind: 'paragraph', sentences: pick.some(sentences, pick.int(1, sentences.length)) });
  }
  const categories = pick.some(CATEGORIES, pick.int(2, 3));
  return { id: `${slugify(issuer.name)}-${String(index).padStart(4, '0')}`, issuer, headline, body, categories };
}

function render(draft: Draft, version: number): Omit<CorpusDocument, 'release'> & { release?: Release } {
  const { issuer } = draft;
  const paragraphs = draft.body.map((block) => block.sentences.join(' '));
  paragraphs[0] = `${SOURCE_TAG} ${paragraphs[0]}`;
  const text = [
    draft.headline,
    ...paragraphs,
    [`About ${issuer.name}`, issuer.about[0]].join('\n'),
    ...issuer.about.slice(1),
    issuer.contact.join('\n'),
    DISCLAIMER,
    `Industries: ${draft.categories.join(', ')}`,
    WIRE_BOILERPLATE,
  ].join('\n\n');
  const blocks: CorpusBlock[] = [
    { kind: 'headline', sentences: [draft.headline] },
    ...draft.body,
    ...draft.categories.map((c): CorpusBlock => ({ kind: 'category', sentences: [c] })),
    { kind: 'disclaimer', sentences: splitSentences(DISCLAIMER) },
    { kind: 'boilerplate', sentences: [`About ${issuer.name}`] },
    ...issuer.about.map((a): CorpusBlock => ({ kind: 'boilerplate', sentences: splitSentences(a) })),
    { kind: 'boilerplate', sentences: splitSentences(WIRE_BOILERPLATE) },
  ];
  return {
    name: `${draft.id}${version > 1 ? `-v${version}` : ''}.txt`,
    id: draft.id,
    version,
    issuer: issuer.name,
    text: `${text}\n`,
    blocks,
  };
}

/** The generator's own sentence split of its fixed texts: ". " before a capital letter. */
function splitSentences(paragraph: string): string[] {
  return paragraph.split(/(?<=\.)\s+(?=[A-Z])/);
}

function toRelease(draft: Draft, document: Omit<CorpusDocument, 'release'>): Release {
  const paragraph = (text: string): Block => ({ type: 'paragraph', content: [{ type: 'text', text }] });
  const bytes = Buffer.from(document.text, 'utf8');
  return ReleaseSchema.parse({
    schemaVersion: 1,
    id: document.id,
    version: document.version,
    language: 'en',
    languageSource: 'declared',
    languageConfidence: 1,
    headline: draft.headline,
    body: draft.body.map((block): Block => ({ type: block.kind === 'quote' ? 'quote' : 'paragraph', content: [{ type: 'text', text: block.sentences.join(' ') }] })),
    categories: draft.categories,
    disclaimer: DISCLAIMER,
    boilerplates: [
      { kind: 'issuer', title: `About ${draft.issuer.name}`, body: draft.issuer.about.map(paragraph) },
      { kind: 'wire', body: [paragraph(WIRE_BOILERPLATE)] },
    ],
    sourceTag: { raw: SOURCE_TAG, wire: WIRE_NAME },
    contacts: [{ name: draft.issuer.contact[1], organization: draft.issuer.contact[2], email: draft.issuer.contact[3], phone: draft.issuer.contact[4], text: draft.issuer.contact.slice(1).join('\n') }],
    source: {
      name: document.name,
      format: 'text',
      encoding: 'utf-8',
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  });
}

/**
 * Generates the corpus: `releases` originals round-robin over the issuers, then a corrected
 * version 2 for `correctedShare` of them (every n-th), which replaces one body paragraph.
 */
export function generateCorpus(options: CorpusOptions = {}): CorpusDocument[] {
  const settings = { ...DEFAULT_CORPUS, ...options };
  const pick = new Picker(seededRandom(settings.seed));
  const issuers = ISSUERS.slice(0, Math.max(1, Math.min(settings.issuers, ISSUERS.length)));
  const drafts: Draft[] = [];
  for (let i = 0; i < settings.releases; i++) drafts.push(draftRelease(pick, issuers[i % issuers.length]!, i, settings.paddingParagraphs));

  const documents: CorpusDocument[] = drafts.map((draft) => {
    const document = render(draft, 1);
    return { ...document, release: toRelease(draft, document) };
  });

  const corrections = Math.round(settings.releases * settings.correctedShare);
  const step = corrections > 0 ? Math.floor(settings.releases / corrections) : 0;
  for (let c = 0; c < corrections; c++) {
    const original = drafts[c * step]!;
    const changedIndex = pick.int(1, original.body.length - 1);
    const body = original.body.map(
      (block, i): CorpusBlock =>
        i === changedIndex ? { kind: 'paragraph', sentences: [`${pick.pick(CORRECTIONS)}.`, `The ${pick.pick(ADJECTIVES)} ${pick.pick(original.issuer.products)} ${fill(pick.pick(BENEFITS), pick, {})}.`] } : block,
    );
    const corrected: Draft = { ...original, body };
    const document = render(corrected, 2);
    documents.push({ ...document, release: toRelease(corrected, document) });
  }
  return documents;
}

/**
 * The smallest number of characters any engine-backed pipeline with a perfect translation memory
 * must send for one target language: every distinct normalized segment once. Computed from the
 * generator's own model of the corpus, not from the code under test.
 *
 * `granularity`: `block` treats each paragraph / headline / category as one segment, `sentence`
 * each sentence the generator built it from.
 */
export function uniqueSegmentLimit(
  documents: readonly Pick<CorpusDocument, 'blocks'>[],
  granularity: 'block' | 'sentence',
  normalize: (text: string) => string = normalizeSegment,
  measure: (text: string) => number = (text) => text.length,
): { segments: number; characters: number; totalSegments: number; totalCharacters: number } {
  const unique = new Set<string>();
  let totalSegments = 0;
  let totalCharacters = 0;
  for (const document of documents) {
    for (const block of document.blocks) {
      const segments = granularity === 'block' ? [block.sentences.join(' ')] : block.sentences;
      for (const segment of segments) {
        const normalized = normalize(segment);
        if (!normalized) continue;
        totalSegments++;
        totalCharacters += measure(normalized);
        unique.add(normalized);
      }
    }
  }
  let characters = 0;
  for (const segment of unique) characters += measure(segment);
  return { segments: unique.size, characters, totalSegments, totalCharacters };
}

/** NFC, whitespace collapsed, trimmed: what any sensible memory key normalizes away. */
export function normalizeSegment(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Stands in for a span that is never sent as text (a protected term, a URL, a quote mark). */
export const MASK = '\u0000';

/**
 * Terms of this corpus that a translation pipeline keeps out of the engine: the wire's name and
 * every issuer's name (the do-not-translate glossary the benchmark configures) and the wire's URL.
 */
export function protectedTerms(issuers: readonly Pick<Issuer, 'name'>[] = ISSUERS): string[] {
  return [WIRE_NAME, ...issuers.map((i) => i.name), 'https://www.seaprwire.com/'];
}

/**
 * A segment as an engine sees its text: protected terms and double quote marks replaced by one
 * mask each (they travel as placeholders and are put back afterwards), then normalized.
 */
export function maskedSegment(terms: readonly string[]): (text: string) => string {
  const longestFirst = [...terms].sort((a, b) => b.length - a.length);
  return (text) => {
    let masked = text;
    for (const term of longestFirst) masked = masked.split(term).join(MASK);
    return normalizeSegment(masked.replace(/[„“”«»「」『』]/g, MASK));
  };
}

/** Characters of a masked segment that an engine is sent as text (masks excluded). */
export function textCharacters(masked: string): number {
  return masked.length - masked.split(MASK).length + 1;
}
