/**
 * Amazon Translate, declared for the registry (functions/adapters/engines/registry.ts): its
 * settings, IAM, local set-up and factory. The Translate SDK client and the adapter are imported
 * on first use, so importing this file costs a cold start nothing.
 */
import { ConfigError } from '../../core/errors';
import { normalizeLanguageTag } from '../../core/languages';
import { defineEngine, FORMALITY_SETTING, jsonIfString } from '../engines/define';
import { AMAZON_MAX_TERMINOLOGY_TARGETS } from './limits';

export interface AmazonTerminology {
  /** Name of a custom terminology created in Amazon Translate. */
  name: string;
  /** Target languages it covers (BCP 47), at most 10. */
  targets: string[];
}

const TERMINOLOGY_SHAPE = 'a JSON array of {"name": "...", "targets": ["de", ...]}';

function parseTerminologies(value: unknown): AmazonTerminology[] {
  const list = jsonIfString(value);
  if (!Array.isArray(list)) throw new Error(`expected ${TERMINOLOGY_SHAPE}`);
  return list.map((item: unknown) => {
    const { name, targets } = (item ?? {}) as { name?: unknown; targets?: unknown };
    if (typeof name !== 'string' || !/^[A-Za-z0-9-]{1,256}$/.test(name)) throw new Error('expected a terminology name (letters, digits, dashes)');
    if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string' && t.trim() !== '')) throw new Error(`terminology ${name}: expected at least one target language`);
    if (targets.length > AMAZON_MAX_TERMINOLOGY_TARGETS) throw new Error(`terminology ${name}: Amazon Translate allows at most ${AMAZON_MAX_TERMINOLOGY_TARGETS} target languages per terminology`);
    return { name, targets: targets.map((tag: string) => normalizeLanguageTag(tag.trim())) };
  });
}

export const amazonTranslate = defineEngine({
  name: 'amazon-translate',
  displayName: 'Amazon Translate',
  // Standard text translation list price.
  defaultPrice: 15,
  // No published concurrency quota (throttling under bursts): a conservative start, not a quota.
  defaultConcurrency: 40,
  aliases: ['amazon'],
  settings: {
    // The deployment's own region in the cloud (Lambda sets AWS_REGION), so no context key.
    region: { env: 'AWS_REGION', context: false, needs: 'an AWS region', example: 'eu-central-1', parse: (value: unknown) => String(value).trim() },
    amazonTerminologies: {
      env: 'AMAZON_TERMINOLOGIES',
      context: true,
      needs: 'custom terminologies and the target languages each covers',
      example: '[{"name":"wire-a","targets":["de","fr"]}]',
      parse: parseTerminologies,
      format: (value) => JSON.stringify(value),
    },
    formality: FORMALITY_SETTING,
  },
  secrets: {},
  iam: (settings) => [
    {
      actions: ['translate:TranslateText'],
      anyResource: { id: 'AmazonTranslate', reason: 'translate:TranslateText authorizes no resource type other than terminologies, so a call without a terminology needs Resource "*".' },
    },
    ...(settings.amazonTerminologies?.length ? [{ actions: ['translate:GetTerminology'], resources: { service: 'translate', resource: 'terminology', names: settings.amazonTerminologies.map((t) => t.name) } }] : []),
  ],
  async prepareLocal(settings, env) {
    const region = settings.region ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const { TranslateClient } = await import('@aws-sdk/client-translate');
    const client = new TranslateClient({ region });
    try {
      const credentials = await withTimeout(client.config.credentials(), 10_000);
      return {
        awsCredentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
        environment: { AWS_REGION: region },
        description: `amazon-translate in ${region} (billed to your AWS account)`,
      };
    } catch (error) {
      throw new ConfigError(
        `the amazon-translate engine needs AWS credentials, and none were found (${(error as Error).message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, in the environment or in .env`,
        { cause: error },
      );
    } finally {
      client.destroy();
    }
  },
  async create(settings) {
    const [{ TranslateClient }, { AmazonTranslateEngine }] = await Promise.all([import('@aws-sdk/client-translate'), import('./engine')]);
    return new AmazonTranslateEngine({
      // maxAttempts 1: the adapter owns retries (backoff with full jitter), see its header.
      client: new TranslateClient({ maxAttempts: 1, ...(settings.region ? { region: settings.region } : {}) }),
      ...(settings.amazonTerminologies?.length ? { terminologies: settings.amazonTerminologies } : {}),
      ...(settings.formality ? { formality: settings.formality } : {}),
    });
  },
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the credential chain within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
