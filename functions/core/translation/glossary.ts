/**
 * The project glossary (`glossary.yaml` at the repository root): terms that are never
 * translated, and per-language forced translations of terms. The file's parser is
 * glossary-yaml.ts, apart so that a function loads the YAML parser only when a glossary exists.
 */
import { createHash } from 'node:crypto';

export interface Glossary {
  /** Hash of the content: changes whenever a term changes (part of translation-memory keys). */
  version: string;
  /** Brand, product and people names kept byte-identical in every language. */
  doNotTranslate: string[];
  /** Target language (BCP 47, as in WIRE_LANGUAGES) → source term → target term. */
  forcedTerms: Record<string, Record<string, string>>;
}

/** Longest term accepted: Amazon Translate custom terminology allows 200 bytes per term. */
export const MAX_TERM_BYTES = 200;

function glossaryVersion(doNotTranslate: readonly string[], forcedTerms: Glossary['forcedTerms']): string {
  const canonical = {
    doNotTranslate: [...doNotTranslate].sort(),
    forcedTerms: Object.keys(forcedTerms)
      .sort()
      .map((lang) => [lang, Object.entries(forcedTerms[lang]!).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

/** Builds a glossary from its parts, computing the version. Terms are deduplicated. */
export function makeGlossary(doNotTranslate: readonly string[], forcedTerms: Glossary['forcedTerms'] = {}): Glossary {
  const terms = [...new Set(doNotTranslate.map((t) => t.trim()).filter((t) => t !== ''))];
  return { version: glossaryVersion(terms, forcedTerms), doNotTranslate: terms, forcedTerms };
}

export const EMPTY_GLOSSARY: Glossary = makeGlossary([]);

/**
 * Adds a release's own do-not-translate terms (front matter `glossary:`) to the project
 * glossary. The version changes only when a term is actually new, so merging twice is harmless.
 */
export function mergeGlossary(project: Glossary, releaseTerms?: readonly string[]): Glossary {
  const added = (releaseTerms ?? []).map((t) => t.trim()).filter((t) => t !== '' && !project.doNotTranslate.includes(t));
  if (added.length === 0) return project;
  return makeGlossary([...project.doNotTranslate, ...added], project.forcedTerms);
}
