/**
 * The QA policy: what an error found in a translated variant does. `hold` keeps the language off
 * every output (page, feeds, ninjs, sitemaps, webhooks) until an editor approves it or uploads a
 * corrected translation; `flag` publishes it and keeps the findings on the variant for `status`.
 * Warnings never hold: they are worth a look, not a reason to keep a language back.
 *
 * Rules are looked up from the most specific to the least: `<language>:<check>`,
 * `<language>:errors`, `<check>`, `errors`, then the built-in default.
 */
import { QA_CHECKS, type QaCheck, type QaSeverity } from './types';

export type QaAction = 'hold' | 'flag';

/** A rule's scope: one check, or `errors` (every check's errors). */
export type QaPolicyScope = QaCheck | 'errors';

export interface QaPolicy {
  /** Rules for every language. */
  rules: Partial<Record<QaPolicyScope, QaAction>>;
  /** Rules for one language (wire tag), over the general ones. */
  languages: Record<string, Partial<Record<QaPolicyScope, QaAction>>>;
}

/**
 * Errors that change what the release says hold by default: a changed figure, amount, currency or
 * date, a changed URL, e-mail, phone number or ticker, a dropped or empty field. Errors of form
 * (text left untranslated, wrong script, length, a repetition loop, a forced term not used,
 * sentence counts) are published and flagged.
 */
export const DEFAULT_HOLD_CHECKS: readonly QaCheck[] = ['figures', 'currency', 'dates', 'protected', 'segments', 'empty'];

/** The policy without any configured rule: {@link DEFAULT_HOLD_CHECKS} hold, the rest flag. */
export const DEFAULT_QA_POLICY: QaPolicy = Object.freeze({ rules: {}, languages: {} });

/** What the policy does with a finding of `check` and `severity` in `language`. */
export function qaAction(policy: QaPolicy, language: string, check: QaCheck, severity: QaSeverity): QaAction {
  if (severity === 'warning') return 'flag';
  const own = policy.languages[language] ?? {};
  return own[check] ?? own.errors ?? policy.rules[check] ?? policy.rules.errors ?? (DEFAULT_HOLD_CHECKS.includes(check) ? 'hold' : 'flag');
}

/**
 * The checks whose findings hold the variant (sorted, without repeats); empty when it may be
 * published.
 *
 * @example
 * holdingChecks(DEFAULT_QA_POLICY, 'de', [{ check: 'figures', severity: 'error' }]); // ['figures']
 */
export function holdingChecks(policy: QaPolicy, language: string, findings: ReadonlyArray<{ check: QaCheck; severity: QaSeverity }>): QaCheck[] {
  const held = new Set<QaCheck>();
  for (const f of findings) if (qaAction(policy, language, f.check, f.severity) === 'hold') held.add(f.check);
  return QA_CHECKS.filter((check) => held.has(check));
}
