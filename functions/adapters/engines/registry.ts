/**
 * The translation engines polywire ships, and everything the rest of the code asks about them.
 * Each engine is declared once, in its folder (`functions/adapters/<engine>/definition.ts`,
 * `defineEngine`); this list is the only place that names them all. The configuration loader
 * (`functions/config.ts`), the lazy engine (`functions/shared/engine.ts`), the CLI, the local stack
 * (`infra/local/engine-setup.ts`) and the CDK app (`infra/config.ts`, `infra/stacks/pipeline-stack.ts`)
 * read it; the core gets the facts it needs (prices, display names) from it as data.
 *
 * Cheap to import: definitions load their clients with `import()` in `create`.
 */
import { ConfigError } from '../../core/errors';
import type { TranslationEngine } from '../../ports';
import { amazonTranslate } from '../amazon-translate/definition';
import { deepl } from '../deepl/definition';
import { libreTranslate } from '../libretranslate/definition';
import { pseudo } from '../pseudo/definition';
import type { EngineDefinition, EngineGrant, EngineLocalSetup, EngineSecret, EngineSetting } from './define';

// biome-ignore lint/suspicious/noExplicitAny: any engine's settings; each definition is checked by its own defineEngine call.
export type AnyEngineDefinition = EngineDefinition<string, any, string>;

/** One line per engine: adding an engine is its folder plus its line here. */
export const ENGINES = [amazonTranslate, deepl, libreTranslate, pseudo] as const satisfies readonly AnyEngineDefinition[];

export type EngineName = (typeof ENGINES)[number]['name'];

export const ENGINE_NAMES: readonly EngineName[] = ENGINES.map((engine) => engine.name);

/** Where a secret comes from: a Secrets Manager ARN (cloud) or its plain value (local stack, CLI). */
export type SecretSource = { readonly arn: string } | { readonly value: string };

type ConfigOf<E> = E extends EngineDefinition<infer N, infer S, infer K> ? { name: N; settings: Partial<S>; secrets: { [P in K]?: SecretSource } } : never;

/** The chosen engine with its parsed settings and where its secrets are: one shape per engine. */
export type EngineConfig = ConfigOf<(typeof ENGINES)[number]>;

const BY_NAME = new Map<string, AnyEngineDefinition>(ENGINES.map((engine) => [engine.name, engine]));

export function isEngineName(value: string): value is EngineName {
  return BY_NAME.has(value);
}

export function engineDefinition(name: EngineName): AnyEngineDefinition {
  return BY_NAME.get(name)!;
}

const record = <T>(value: (engine: AnyEngineDefinition) => T) => Object.freeze(Object.fromEntries(ENGINES.map((engine) => [engine.name, value(engine)]))) as Readonly<Record<EngineName, T>>;

/** Estimated list prices, USD per million characters: the cost ledger's defaults (a deployment may override them). */
export const DEFAULT_PRICES = record((engine) => engine.defaultPrice);

/** The names outputs credit (`engineNames` of the site configuration the renderers get). */
export const ENGINE_DISPLAY_NAMES = record((engine) => engine.displayName);

/** Engine requests in flight a deployment allows by default (`engineConcurrency`). */
export const DEFAULT_ENGINE_CONCURRENCY = record((engine) => engine.defaultConcurrency);

/** `--engine` aliases of the CLI, with the engine each stands for. */
export const ENGINE_ALIASES: Readonly<Record<string, EngineName>> = Object.freeze(Object.fromEntries(ENGINES.flatMap((engine) => engine.aliases.map((alias) => [alias, engine.name]))));

export function settingsOf(engine: AnyEngineDefinition): [string, EngineSetting<unknown>][] {
  return Object.entries(engine.settings as Record<string, EngineSetting<unknown>>);
}

export function secretsOf(engine: AnyEngineDefinition): [string, EngineSecret][] {
  return Object.entries(engine.secrets as Record<string, EngineSecret>);
}

/** A secret's ARN: the context key and environment variable a deployment uses for it. */
export const secretArnContextKey = (key: string): string => `${key}SecretArn`;
export const secretArnVariable = (secret: EngineSecret): string => `${secret.env}_SECRET_ARN`;

type Env = Readonly<Record<string, string | undefined>>;

export interface ReadEngineOptions {
  /**
   * `lambda`: messages name the variable as the loader of the functions does; `user`: as the CLI
   * and the local stack tell a person what to set.
   */
  readonly style: 'lambda' | 'user';
  /** Plain secret values are accepted (local stack, CLI); otherwise only `<ENV>_SECRET_ARN` (cloud). */
  readonly plainSecrets: boolean;
  /** Appended to a "set X in the environment" message (e.g. ` or in .env`). */
  readonly hint?: string;
}

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

/**
 * The engine's settings and secrets from an environment record (never `process.env` itself).
 *
 * @throws ConfigError naming the first missing or invalid variable.
 * @example
 * const engine = readEngineConfig('deepl', { DEEPL_API_KEY: key }, { style: 'user', plainSecrets: true });
 */
export function readEngineConfig(name: EngineName, env: Env, options: ReadEngineOptions): EngineConfig {
  const engine = engineDefinition(name);
  const missing = (variable: string, needs: string, example?: string) =>
    options.style === 'lambda'
      ? new ConfigError(`environment variable ${variable} is not set: the ${name} engine needs ${needs}${options.hint ?? ''}`)
      : new ConfigError(`the ${name} engine needs ${needs}: set ${variable} in the environment${options.hint ?? ''}${example ? `, e.g. ${example}` : ''}`);
  const settings: Record<string, unknown> = {};
  for (const [key, setting] of settingsOf(engine)) {
    const raw = read(env, setting.env);
    if (raw === undefined) {
      if (setting.required) throw missing(setting.env, setting.needs, setting.example);
      continue;
    }
    try {
      settings[key] = setting.parse(raw);
    } catch (error) {
      throw new ConfigError(`environment variable ${setting.env} is invalid: ${(error as Error).message}`, { cause: error });
    }
  }
  const secrets: Record<string, SecretSource> = {};
  for (const [key, secret] of secretsOf(engine)) {
    const arn = read(env, secretArnVariable(secret));
    const value = options.plainSecrets ? read(env, secret.env) : undefined;
    if (arn) secrets[key] = { arn };
    else if (value) secrets[key] = { value };
    else if (secret.required) throw options.plainSecrets ? missing(secret.env, secret.needs) : missing(secretArnVariable(secret), `${secret.needs} (the ARN of the Secrets Manager secret holding it)`);
  }
  return { name, settings, secrets } as EngineConfig;
}

/**
 * The environment that carries `config` to the functions: `TRANSLATION_ENGINE`, the settings, and
 * each secret as its ARN variable (cloud) or its plain variable (local stack).
 */
export function engineEnvironment(config: EngineConfig): Record<string, string> {
  const engine = engineDefinition(config.name);
  const environment: Record<string, string> = { TRANSLATION_ENGINE: config.name };
  const settings = config.settings as Record<string, unknown>;
  for (const [key, setting] of settingsOf(engine)) {
    const value = settings[key];
    if (value === undefined) continue;
    environment[setting.env] = setting.format ? setting.format(value) : typeof value === 'string' ? value : JSON.stringify(value);
  }
  const secrets = config.secrets as Record<string, SecretSource | undefined>;
  for (const [key, secret] of secretsOf(engine)) {
    const source = secrets[key];
    if (source === undefined) continue;
    if ('arn' in source) environment[secretArnVariable(secret)] = source.arn;
    else environment[secret.env] = source.value;
  }
  return environment;
}

/** Every environment variable an engine reads (settings, plain secrets, secret ARNs). */
export function engineVariables(engine: AnyEngineDefinition): string[] {
  return [...settingsOf(engine).map(([, setting]) => setting.env), ...secretsOf(engine).flatMap(([, secret]) => [secret.env, secretArnVariable(secret)])];
}

/** A problem with a CDK context value: the key and what is wrong. */
export interface ContextProblem {
  readonly key: string;
  readonly message: string;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;

/**
 * The context keys the engines read, each once (engines share `formality`): settings with
 * `context: true` under their key, secrets as `<key>SecretArn`.
 */
export function engineContextKeys(): string[] {
  const keys = ENGINES.flatMap((engine) => [...settingsOf(engine).flatMap(([key, setting]) => (setting.context ? [key] : [])), ...secretsOf(engine).map(([key]) => secretArnContextKey(key))]);
  return [...new Set(keys)];
}

/**
 * The configured engine from CDK context. Every engine's keys that are given are checked (a typo
 * in a key of another engine is still an error); only the configured engine's are required.
 */
export function readEngineContext(name: EngineName, context: (key: string) => unknown): { config: EngineConfig; problems: ContextProblem[] } {
  const problems: ContextProblem[] = [];
  const parsed = new Map<string, unknown>();
  const given = (key: string) => {
    const value = context(key);
    return value === undefined || value === '' ? undefined : value;
  };
  for (const engine of ENGINES) {
    for (const [key, setting] of settingsOf(engine)) {
      if (!setting.context || parsed.has(key)) continue;
      const value = given(key);
      if (value === undefined) continue;
      try {
        const result = setting.parse(value);
        const problem = setting.checkDeployed?.(result);
        if (problem) problems.push({ key, message: problem });
        else parsed.set(key, result);
      } catch (error) {
        problems.push({ key, message: (error as Error).message });
      }
    }
    for (const [key] of secretsOf(engine)) {
      const contextKey = secretArnContextKey(key);
      const value = given(contextKey);
      if (value === undefined) continue;
      if (typeof value === 'string' && SECRET_ARN.test(value)) parsed.set(contextKey, value);
      else problems.push({ key: contextKey, message: 'expected a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)' });
    }
  }
  const engine = engineDefinition(name);
  const settings: Record<string, unknown> = {};
  for (const [key, setting] of settingsOf(engine)) {
    if (!setting.context) continue;
    if (parsed.has(key)) settings[key] = parsed.get(key);
    else if (setting.required && !problems.some((p) => p.key === key)) problems.push({ key, message: `required when engine is ${name}: ${setting.needs}${setting.example ? `, e.g. ${setting.example}` : ''}` });
  }
  const secrets: Record<string, SecretSource> = {};
  for (const [key, secret] of secretsOf(engine)) {
    const contextKey = secretArnContextKey(key);
    const arn = parsed.get(contextKey) as string | undefined;
    if (arn) secrets[key] = { arn };
    else if (secret.required && !problems.some((p) => p.key === contextKey)) problems.push({ key: contextKey, message: `required when engine is ${name}: store ${secret.needs} in Secrets Manager and pass its ARN` });
  }
  return { config: { name, settings, secrets } as EngineConfig, problems };
}

/** The IAM the translate function needs for the configured engine. */
export function engineGrants(config: EngineConfig): readonly EngineGrant[] {
  return engineDefinition(config.name).iam(config.settings);
}

/** Secret ARNs the translate function reads for the configured engine. */
export function engineSecretArns(config: EngineConfig): string[] {
  return Object.values(config.secrets as Record<string, SecretSource | undefined>).flatMap((source) => (source && 'arn' in source ? [source.arn] : []));
}

/**
 * Builds the engine once its secrets are read (`readSecret` resolves ARNs; plain values pass).
 *
 * @throws ConfigError naming a missing or bad setting.
 */
export async function createEngine(config: EngineConfig, readSecret?: (arn: string) => Promise<string>): Promise<TranslationEngine> {
  const engine = engineDefinition(config.name);
  const secrets: Record<string, string> = {};
  for (const [key, source] of Object.entries(config.secrets as Record<string, SecretSource | undefined>)) {
    if (source === undefined) continue;
    if ('value' in source) secrets[key] = source.value;
    else if (readSecret) secrets[key] = await readSecret(source.arn);
    else throw new ConfigError(`${key} is in Secrets Manager (${source.arn}) and nothing here reads secrets`);
  }
  return engine.create(config.settings, secrets);
}

/** The local stack's preparation of the configured engine (credential checks, banner line). */
export function prepareLocalEngine(config: EngineConfig, env: Env): Promise<EngineLocalSetup> {
  return engineDefinition(config.name).prepareLocal(config.settings, env);
}
