/**
 * Amazon Translate's service limits that both the adapter and the deployment configuration
 * check. Kept apart from `engine.ts` so that `cdk synth` can validate the configuration
 * without loading the Translate SDK client.
 */

/** TranslateText accepts at most 10,000 bytes of UTF-8 per request. */
export const AMAZON_MAX_REQUEST_BYTES = 10_000;
/** A custom terminology applies to at most 10 target languages. */
export const AMAZON_MAX_TERMINOLOGY_TARGETS = 10;
