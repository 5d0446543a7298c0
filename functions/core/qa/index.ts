/** Translation QA: rule-based, locale-aware checks of a translation against its source. */
export { checkTranslation, defaultDetector, type LanguageDetector, type QaInput } from './check';
export { QA_CHECKS, type QaCheck, type QaFinding, type QaLocation, type QaReport, type QaSeverity } from './types';
export { DEFAULT_HOLD_CHECKS, DEFAULT_QA_POLICY, holdingChecks, qaAction, type QaAction, type QaPolicy, type QaPolicyScope } from './policy';
