/**
 * Translation QA: what a check reports. A finding names its check, how serious it is, where it
 * is, both texts, and a message written for an editor (not for a developer).
 */

/** Every check, in the order they run. */
export const QA_CHECKS = ['segments', 'empty', 'untranslated', 'script', 'figures', 'currency', 'dates', 'protected', 'forced-term', 'sentences', 'length', 'repetition', 'brackets'] as const;
export type QaCheck = (typeof QA_CHECKS)[number];

/** `error`: wrong content that must not go out unreviewed; `warning`: worth a look, never holds. */
export type QaSeverity = 'error' | 'warning';

export interface QaLocation {
  /** The field: `headline`, `body[3]`, `body[2].items[0]`, `boilerplates[0].body[1]`, `categories[1]`. */
  block: string;
  /** 1-based sentence of the source field the finding is about, when it can be told. */
  segment?: number;
}

export interface QaFinding {
  check: QaCheck;
  severity: QaSeverity;
  location: QaLocation;
  /** The source field's text. */
  source: string;
  /** The translated field's text ('' when the field is missing). */
  translation: string;
  message: string;
}

export interface QaReport {
  language: string;
  sourceLanguage: string;
  findings: QaFinding[];
  /** Checks that do not apply to this translation, with the reason (e.g. pseudo-localized text). */
  notApplicable: { check: QaCheck; reason: string }[];
  counts: { errors: number; warnings: number };
}
