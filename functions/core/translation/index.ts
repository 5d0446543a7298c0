/**
 * The translation engine's public API: glossary, targets, prices, the translation memory key,
 * and the two use cases (translateVariant, translateRelease). Engines and memories are ports
 * (`functions/ports.ts`), implemented in `functions/adapters/`.
 */
export { mergeGlossary, makeGlossary, EMPTY_GLOSSARY, type Glossary } from './glossary';
export { parseGlossary } from './glossary-yaml';
export { estimateCostUsd, type PriceTable } from './ledger';
export { memoryKey, InMemoryTranslationMemory } from './memory';
export { resolveTargets } from './targets';
export { translateVariant, translateRelease, type TranslateDeps, type LanguageOutcome } from './translate';
export { countCharacters } from './placeholders';
