/**
 * Prices for the cost ledger. Estimates only: list prices change and discounts, free tiers and
 * taxes are ignored. Override them in the deployment configuration. The defaults are each
 * engine's `defaultPrice` (`DEFAULT_PRICES` in functions/adapters/engines/registry.ts): the core
 * knows no engine and gets the table as data.
 */
export interface PriceTable {
  /** USD per million billed characters, by engine name. */
  [engineName: string]: number;
}

/** billedCharacters × rate, rounded to a millionth of a dollar. Unknown engines cost 0. */
export function estimateCostUsd(engine: string, billedCharacters: number, prices: PriceTable): number {
  const rate = prices[engine] ?? 0;
  return Math.round(((billedCharacters * rate) / 1_000_000) * 1_000_000) / 1_000_000;
}
