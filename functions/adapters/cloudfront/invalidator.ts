/**
 * `CdnInvalidator` on CloudFront (`CreateInvalidation` on one distribution: the publish
 * function's role may do nothing else with CloudFront). The function loads it on first use
 * (./cdn.ts), with the local stack's, which does nothing: there the bucket is served directly.
 */
import { CreateInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { ProviderError } from '../../core/errors';
import type { CdnInvalidator } from '../../ports';

export class CloudFrontInvalidator implements CdnInvalidator {
  private readonly client: CloudFrontClient;
  private readonly distributionId: string;

  constructor({ client, distributionId }: { client: CloudFrontClient; distributionId: string }) {
    this.client = client;
    this.distributionId = distributionId;
  }

  async invalidate(paths: readonly string[], reference: string): Promise<void> {
    if (paths.length === 0) return;
    try {
      await this.client.send(
        new CreateInvalidationCommand({
          DistributionId: this.distributionId,
          InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: [...paths] } },
        }),
      );
    } catch (error) {
      // Throttling and TooManyInvalidationsInProgress pass with time: the publish batch is retried.
      throw new ProviderError('CDN_INVALIDATION_FAILED', `CloudFront invalidation of ${paths.length} path(s) in ${this.distributionId} failed: ${(error as Error).name}: ${(error as Error).message}`, {
        retryable: true,
        cause: error,
      });
    }
  }
}
