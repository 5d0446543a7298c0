/**
 * Prices for the cost ledger. Estimates only: list prices change and discounts, free tiers and
 * taxes are ignored. Override them in the deployment configuration.
 */
export interface PriceTable {
  /** USD per million billed characters, by engine name. */
  [engineName: string]: number;
}

/**
 * Estimated list prices (USD per million characters): Amazon Translate standard ~15, DeepL API
 * Pro ~25 (plus its monthly fee), LibreTranslate self-hosted 0, pseudo 0.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'amazon-translate': 15,
  deepl: 25,
  libretranslate: 0,
  pseudo: 0,
});

/** billedCharacters × rate, rounded to a millionth of a dollar. Unknown engines cost 0. */
export function estimateCostUsd(engine: string, billedCharacters: number, prices: PriceTable): number {
  const rate = prices[engine] ?? 0;
  return Math.round(((billedCharacters * rate) / 1_000_000) * 1_000_000) / 1_000_000;
}
