import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { lazyCloudFrontInvalidator, NoCdnInvalidator } from '../../../../functions/adapters/cloudfront/cdn';
import { CloudFrontInvalidator } from '../../../../functions/adapters/cloudfront/invalidator';
import { ProviderError } from '../../../../functions/core/errors';

describe('CloudFrontInvalidator', () => {
  it('sends one CreateInvalidation on its distribution with the paths and the caller reference', async () => {
    const cloudfront = mockClient(CloudFrontClient);
    cloudfront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined } });
    const cdn = new CloudFrontInvalidator({ client: new CloudFrontClient({ region: 'us-east-1' }), distributionId: 'E2EXAMPLE' });
    await cdn.invalidate(['/de/feed.xml', '/de/releases/a.html'], 'polywire-1-abc');

    const calls = cloudfront.commandCalls(CreateInvalidationCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      DistributionId: 'E2EXAMPLE',
      InvalidationBatch: { CallerReference: 'polywire-1-abc', Paths: { Quantity: 2, Items: ['/de/feed.xml', '/de/releases/a.html'] } },
    });
    cloudfront.restore();
  });

  it('sends nothing for no paths', async () => {
    const cloudfront = mockClient(CloudFrontClient);
    await new CloudFrontInvalidator({ client: new CloudFrontClient({ region: 'us-east-1' }), distributionId: 'E2EXAMPLE' }).invalidate([], 'r');
    expect(cloudfront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
    cloudfront.restore();
  });

  it('turns a refusal (too many invalidations in progress) into a retryable provider error', async () => {
    const cloudfront = mockClient(CloudFrontClient);
    cloudfront
      .on(CreateInvalidationCommand)
      .rejects(Object.assign(new Error('Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations.'), { name: 'TooManyInvalidationsInProgress' }));
    const error = await new CloudFrontInvalidator({ client: new CloudFrontClient({ region: 'us-east-1' }), distributionId: 'E2EXAMPLE' }).invalidate(['/x'], 'r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as ProviderError).message).toContain('TooManyInvalidationsInProgress');
    cloudfront.restore();
  });
});

describe('NoCdnInvalidator', () => {
  it('does nothing (the local stack serves the bucket without a cache)', async () => {
    await expect(new NoCdnInvalidator().invalidate()).resolves.toBeUndefined();
  });
});

describe('lazyCloudFrontInvalidator', () => {
  it('builds its client on the first invalidation that has paths, once, and sends through it', async () => {
    const cloudfront = mockClient(CloudFrontClient);
    cloudfront.on(CreateInvalidationCommand).resolves({});
    const clients: CloudFrontClient[] = [];
    const cdn = lazyCloudFrontInvalidator('E2EXAMPLE', (client) => clients.push(client));

    await cdn.invalidate([], 'nothing');
    expect(clients).toHaveLength(0);

    await cdn.invalidate(['/de/feed.xml'], 'r1');
    await cdn.invalidate(['/fr/feed.xml'], 'r2');
    expect(clients).toHaveLength(1);
    expect(clients[0]).toBeInstanceOf(CloudFrontClient);
    expect(cloudfront.commandCalls(CreateInvalidationCommand).map((call) => [call.args[0].input.DistributionId, call.args[0].input.InvalidationBatch?.CallerReference])).toEqual([
      ['E2EXAMPLE', 'r1'],
      ['E2EXAMPLE', 'r2'],
    ]);
    cloudfront.restore();
  });
});
