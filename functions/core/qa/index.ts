/** Translation QA: rule-based, locale-aware checks of a translation against its source. */
export { checkTranslation, defaultDetector, type LanguageDetector, type QaInput } from './check';
export { QA_CHECKS, type QaCheck, type QaFinding, type QaLocation, type QaReport, type QaSeverity } from './types';
