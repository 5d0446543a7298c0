/**
 * Keys of the pipeline's items in the single table (see docs/pipeline.md#dynamodb-model). Translation memory (`TM#…`) and subscriptions (`SUB#…`) keep their own key modules.
 */
import { padVersion } from '../../core/pipeline/versioning';

export interface ItemKey {
  pk: string;
  sk: string;
}

export const itemKeys = {
  source: (objectKey: string): ItemKey => ({ pk: `SRC#${objectKey}`, sk: 'SRC' }),
  release: (releaseId: string): ItemKey => ({ pk: `REL#${releaseId}`, sk: 'META' }),
  version: (releaseId: string, version: number): ItemKey => ({ pk: `REL#${releaseId}`, sk: `V#${padVersion(version)}` }),
  variant: (releaseId: string, version: number, language: string): ItemKey => ({
    pk: `REL#${releaseId}`,
    sk: `V#${padVersion(version)}#L#${language}`,
  }),
  /** Sort-key prefix of a version's variants. */
  variantPrefix: (version: number): string => `V#${padVersion(version)}#L#`,
  publication: (releaseId: string, language: string): ItemKey => ({ pk: `REL#${releaseId}`, sk: `PUB#${language}` }),
  feedPartition: (feed: string): string => `FEED#${feed}`,
  feedEntry: (feed: string, publishedAt: string, releaseId: string): ItemKey => ({
    pk: `FEED#${feed}`,
    sk: `${publishedAt}#${releaseId}`,
  }),
  rootBuild: (): ItemKey => ({ pk: 'ROOT', sk: 'BUILD' }),
};

/** gsi1 partition of release listings (`polywire status`). */
export const RELEASES_GSI_PARTITION = 'RELEASES';

/**
 * gsi1 partition of the uploads that need someone's attention (`rejected`, `awaiting-base`),
 * sorted by `<updatedAt>#<key>`. Other source items stay out of it, so it lists only those.
 */
export const SOURCES_GSI_PARTITION = 'SOURCES';
