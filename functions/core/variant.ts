/**
 * A language variant: one release version in one language, as translated (or as written, for the
 * source language). Renderers take a release (metadata) and a variant (content) and never need to
 * know where the text came from; `provenance` tells them what to disclose to the reader.
 */
import * as z from 'zod/mini';
import { builtOnFirstUse } from './first-use';
import { LanguageTagSchema, ReleaseContentSchema, ReleaseIdSchema, RenditionSchema, TableBlockSchema } from './release';

export const ProvenanceSchema = z.object({
  /**
   * `original`: the release as written; `human`: a translation supplied with it; `machine`: an
   * engine's translation; `pseudo`: the offline pseudo-localizer — never a real translation.
   */
  kind: z.enum(['original', 'human', 'machine', 'pseudo']),
  /** An engine's name (functions/adapters/engines/registry.ts), `human` or `none`. */
  engine: z.string().check(z.minLength(1)),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** What translating one variant cost. */
export const LedgerSchema = z.object({
  /** Characters sent to the engine (what is billed). */
  billedCharacters: z.int().check(z.gte(0)),
  /** Characters served from the translation memory (not billed). */
  memoryCharacters: z.int().check(z.gte(0)),
  /** Engine requests made. */
  requests: z.int().check(z.gte(0)),
  /** billedCharacters × the price table's rate for the engine, in USD. */
  estimatedCostUsd: z.number().check(z.gte(0)),
});
export type Ledger = z.infer<typeof LedgerSchema>;

export const EMPTY_LEDGER: Ledger = Object.freeze({
  billedCharacters: 0,
  memoryCharacters: 0,
  requests: 0,
  estimatedCostUsd: 0,
});

export const VariantSchema = z.object({
  releaseId: ReleaseIdSchema,
  version: z.int().check(z.gte(1)),
  language: LanguageTagSchema,
  sourceLanguage: LanguageTagSchema,
  content: ReleaseContentSchema,
  provenance: ProvenanceSchema,
  ledger: LedgerSchema,
});
export type Variant = z.infer<typeof VariantSchema>;

/**
 * One item of a feed or index, as stored in the "latest N per language (and category)" index.
 * Feeds are rendered from the newest 50 of these, never from the archive. Built on first use
 * (functions/core/first-use.ts): no function validates an entry at run time, and translate and
 * publish, which import this module, would otherwise build it at every cold start.
 */
export const FeedEntrySchema = builtOnFirstUse(() =>
  z.object({
    releaseId: ReleaseIdSchema,
    version: z.int().check(z.gte(1)),
    language: LanguageTagSchema,
    headline: z.string().check(z.minLength(1)),
    /** Plain-text summary (first paragraph, shortened). */
    summary: z.string(),
    /** Category names in this language, in the release's order. */
    categories: z.array(z.string().check(z.minLength(1))),
    /** First publication of the release (stable across corrections: orders the feed). */
    publishedAt: z.iso.datetime({ offset: true }),
    /** Publication of this version (changes on a correction). */
    updatedAt: z.iso.datetime({ offset: true }),
    provenance: ProvenanceSchema,
    /**
     * The body's tables (this language), shown in the feed item's content: earnings tables are what
     * a feed reader needs most. Only tables small enough for a feed (see `feedTablesOf`).
     */
    tables: z.optional(z.array(TableBlockSchema)),
    /** The lead picture's main rendition: the RSS enclosure / media:content, Atom enclosure link and JSON Feed `image`. */
    image: z.optional(z.extend(RenditionSchema, { alt: z.optional(z.string()) })),
  }),
);
export type FeedEntry = z.infer<typeof FeedEntrySchema>;
