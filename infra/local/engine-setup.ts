/**
 * Checks, before anything starts, that the chosen translation engine can work on this machine,
 * and returns the environment the handlers need for it. What an engine reads and checks is its
 * definition's (functions/adapters/<engine>/definition.ts, through the registry); this file only
 * adds what is the local stack's own: s3rver must accept the user's AWS key pair.
 */
import { createRequire } from 'node:module';
import { type EngineName, engineEnvironment, prepareLocalEngine, readEngineConfig } from '../../functions/adapters/engines/registry';

export interface EngineSetup {
  /** Handler environment for the engine (its settings, plain keys, region). */
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
 * @throws ConfigError naming what is missing and how to provide it (variable, `.env`, profile).
 */
export async function prepareEngine(engine: EngineName, env: NodeJS.ProcessEnv = process.env): Promise<EngineSetup> {
  const config = readEngineConfig(engine, env, { style: 'user', plainSecrets: true, hint: ' or in .env (see .env.example)' });
  const setup = await prepareLocalEngine(config, env);
  if (setup.awsCredentials) allowAccessKeyOnS3rver(setup.awsCredentials.accessKeyId, setup.awsCredentials.secretAccessKey);
  return { environment: { ...engineEnvironment(config), ...setup.environment }, userCredentials: setup.awsCredentials !== undefined, description: setup.description };
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
