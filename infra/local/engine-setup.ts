/**
 * Checks, before anything starts, that the chosen translation engine can work on this machine,
 * and returns the environment the handlers need for it. The pseudo engine needs nothing.
 */
import { TranslateClient } from '@aws-sdk/client-translate';
import { createRequire } from 'node:module';
import { ConfigError } from '../../functions/core/errors';
import type { EngineName } from '../../functions/ports';

export interface EngineSetup {
  /** Handler environment for the engine (endpoint, key). */
  environment: Record<string, string>;
  /**
   * Whether the handlers keep the user's own AWS credentials (Amazon Translate needs them) instead
   * of the emulators' fixed pair; the emulators then accept the user's access key id.
   */
  userCredentials: boolean;
  /** One line for the banner. */
  description: string;
}

/**
 * @throws ConfigError naming what is missing and how to provide it (flag, `.env`, profile).
 */
export async function prepareEngine(engine: EngineName, env: NodeJS.ProcessEnv = process.env): Promise<EngineSetup> {
  switch (engine) {
    case 'pseudo':
      return { environment: {}, userCredentials: false, description: 'pseudo (visibly fake translations, no account needed)' };
    case 'deepl': {
      const key = env.DEEPL_API_KEY?.trim();
      if (!key) throw new ConfigError('the deepl engine needs an API key: set DEEPL_API_KEY in the environment or in .env (see .env.example)');
      return { environment: { DEEPL_API_KEY: key }, userCredentials: false, description: `deepl (${key.endsWith(':fx') ? 'free' : 'pro'} API)` };
    }
    case 'libretranslate': {
      const url = env.LIBRETRANSLATE_URL?.trim();
      if (!url) throw new ConfigError('the libretranslate engine needs a server: set LIBRETRANSLATE_URL (e.g. http://127.0.0.1:5000) in the environment or in .env');
      try {
        new URL(url);
      } catch {
        throw new ConfigError(`LIBRETRANSLATE_URL is not an absolute URL: ${JSON.stringify(url)}`);
      }
      const apiKey = env.LIBRETRANSLATE_API_KEY?.trim();
      return { environment: { LIBRETRANSLATE_URL: url, ...(apiKey ? { LIBRETRANSLATE_API_KEY: apiKey } : {}) }, userCredentials: false, description: `libretranslate at ${url}` };
    }
    case 'amazon-translate': {
      const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
      const client = new TranslateClient({ region });
      let accessKeyId: string;
      let secretAccessKey: string;
      try {
        const credentials = await withTimeout(client.config.credentials(), 10_000);
        accessKeyId = credentials.accessKeyId;
        secretAccessKey = credentials.secretAccessKey;
      } catch (error) {
        throw new ConfigError(
          `the amazon-translate engine needs AWS credentials, and none were found (${(error as Error).message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, in the environment or in .env`,
          { cause: error },
        );
      } finally {
        client.destroy();
      }
      allowAccessKeyOnS3rver(accessKeyId, secretAccessKey);
      return { environment: { AWS_REGION: region }, userCredentials: true, description: `amazon-translate in ${region} (billed to your AWS account)` };
    }
  }
}

/**
 * s3rver accepts only access keys in its account registry (it does not verify SigV4 signatures);
 * registering the user's key lets one credential chain serve s3rver and Amazon Translate.
 */
function allowAccessKeyOnS3rver(accessKeyId: string, secretAccessKey: string): void {
  const require = createRequire(import.meta.url);
  const accounts = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
  accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the credential chain within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
