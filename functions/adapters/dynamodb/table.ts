/**
 * The one definition of polywire's DynamoDB table, as plain data. The CDK construct
 * (infra/constructs) and the local stack (infra/local) both create the table from it, and the
 * adapters use the same attribute names, so the cloud and a local run cannot drift apart.
 *
 * Single-table design; the item types and their keys are documented in
 * docs/pipeline.md#dynamodb-model and built by `keys.ts` beside this file.
 */
export const TABLE = {
  /** Logical name; deployments prefix it (CDK generates the physical name). */
  name: 'polywire',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Epoch seconds; items that expire (translation memory, dedup markers) set it. */
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      /** Releases by recency: `polywire status` listings and the newsroom index. */
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
  ],
} as const;
