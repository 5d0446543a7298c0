/**
 * The publish function's `CdnInvalidator`s without the CloudFront client in its start-up code:
 * only corrections, lifts, withdrawals and root rebuilds invalidate (a first publication has
 * nothing cached to replace), so the client and its command load on the first invalidation.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CdnInvalidator } from '../../ports';

/**
 * CloudFront `CreateInvalidation` on one distribution (./invalidator.ts), its client built on
 * first use; `onClient` sees the client once (the tracer captures it there).
 *
 * @example
 * const cdn = lazyCloudFrontInvalidator('E2EXAMPLE', (client) => tracer.captureAWSv3Client(client));
 */
export function lazyCloudFrontInvalidator(distributionId: string, onClient?: (client: CloudFrontClient) => void): CdnInvalidator {
  let loading: Promise<CdnInvalidator> | undefined;
  const load = async (): Promise<CdnInvalidator> => {
    const [{ CloudFrontClient }, { CloudFrontInvalidator }] = await Promise.all([import('@aws-sdk/client-cloudfront'), import('./invalidator')]);
    const client = new CloudFrontClient({});
    onClient?.(client);
    return new CloudFrontInvalidator({ client, distributionId });
  };
  return {
    async invalidate(paths, reference) {
      if (paths.length === 0) return;
      loading ??= load().catch((error: unknown) => {
        // A failed load is tried again by the retried batch, not remembered.
        loading = undefined;
        throw error;
      });
      await (await loading).invalidate(paths, reference);
    },
  };
}

/** The local stack's CDN: none. */
export class NoCdnInvalidator implements CdnInvalidator {
  async invalidate(): Promise<void> {}
}
