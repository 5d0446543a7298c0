/**
 * Two local stacks in one process, with the real stages and different settings: each publishes
 * its own release in its own languages. Possible only because the stages are built from a
 * configuration object (functions/compose.ts), not from a shared process environment.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbReleaseRepository } from '../../../functions/adapters/dynamodb/release-repository';
import { startLocalStack, type LocalStack } from '../../../infra/local/stack';
import { wireRelease } from '../pipeline/releases';

describe('two local stacks in one process', () => {
  const stacks: LocalStack[] = [];
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.close(1000)));
  });

  it('keep their own configuration: each publishes its own release in its own languages', async () => {
    const before = { ...process.env };
    const alpha = await startLocalStack({ languages: ['en', 'de'], port: 0, environment: { SITE_TITLE: 'Alpha newsroom' } });
    stacks.push(alpha);
    const beta = await startLocalStack({ languages: ['en', 'fr'], port: 0, environment: { SITE_TITLE: 'Beta newsroom' } });
    stacks.push(beta);
    // Starting a stack changes nothing in the process environment.
    expect(process.env).toEqual(before);

    const upload = (stack: LocalStack, name: string, headline: string) => stack.s3.send(new PutObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: `incoming/${name}.txt`, Body: wireRelease({ headline }) }));
    await Promise.all([upload(alpha, 'alpha-launch', 'Alpha launches the Robo 3000'), upload(beta, 'beta-launch', 'Beta opens a plant in Lyon')]);
    await Promise.all([alpha.whenIdle(), beta.whenIdle()]);

    const repository = (stack: LocalStack) => new DynamoDbReleaseRepository({ client: DynamoDBDocumentClient.from(new DynamoDBClient(stack.emulators.dynamoClientConfig())), tableName: stack.emulators.tableName });
    const published = async (stack: LocalStack, id: string) =>
      (await repository(stack).listVariants(id, 1))
        .filter((v) => v.status === 'published')
        .map((v) => v.language)
        .sort();

    expect(await published(alpha, 'alpha-launch')).toEqual(['de', 'en']);
    expect(await published(beta, 'beta-launch')).toEqual(['en', 'fr']);
    expect(await repository(alpha).getRelease('beta-launch')).toBeUndefined();
    expect(await repository(beta).getRelease('alpha-launch')).toBeUndefined();

    const page = async (stack: LocalStack) => (await fetch(new URL('/', stack.siteUrl))).text();
    expect(await page(alpha)).toContain('Alpha newsroom');
    expect(await page(beta)).toContain('Beta newsroom');
  });
});
