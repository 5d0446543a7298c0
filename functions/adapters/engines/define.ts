/**
 * What an engine folder declares about its engine (`functions/adapters/<engine>/definition.ts`),
 * and `defineEngine`, which checks at compile time that nothing is missing. The registry
 * (`registry.ts`) lists the definitions; the configuration loader, the CLI, the local stack, the
 * CDK app, the ledger's default prices and the renderers' display names all read them, so adding
 * an engine is its folder plus one registry line (docs/architecture.md#adding-a-translation-engine).
 *
 * A definition is data plus lazy functions: it must stay cheap to import, because the Lambda entry
 * points, `cdk synth` and the CLI import the registry at start-up. The engine client (deepl-node,
 * the Translate SDK client) is loaded by `create` with `await import()`, on first use.
 */
import type { TranslationEngine } from '../../ports';

/**
 * One setting of an engine. Its key in {@link EngineDefinition.settings} is its one name: the
 * field of the parsed settings, the CDK context key (when `context` is true) and the name the docs use.
 */
export interface EngineSetting<T> {
  /** The environment variable (Lambda, local stack, CLI). */
  readonly env: string;
  /** Whether a deployment sets it through CDK context (under the setting's key). */
  readonly context: boolean;
  /** What the engine needs it for, completing "the <engine> engine needs …" (e.g. `its server URL`). */
  readonly needs: string;
  /** A sample value, as the environment carries it (messages, docs, the registry's round-trip test). */
  readonly example: string;
  readonly required?: boolean;
  /**
   * Parses a value from the environment (a string) or CDK context (JSON, or a string from `-c`).
   * @throws Error whose message says what it expects (the caller names the variable or key).
   */
  parse(value: unknown): T;
  /** Extra rule for a deployment (CDK context): the problem, or undefined when the value is fine. */
  checkDeployed?(value: T): string | undefined;
  /** The value as the Lambda environment carries it (default: the string itself, objects as JSON). */
  format?(value: T): string;
}

/**
 * A secret of an engine (an API key). A deployment keeps it in Secrets Manager: the CDK context key
 * is `<key>SecretArn` and the function reads the ARN from `<env>_SECRET_ARN`. The local stack and
 * the CLI, which have no Secrets Manager, take the plain value from `env`.
 */
export interface EngineSecret {
  readonly env: string;
  readonly needs: string;
  readonly required: boolean;
}

/** An IAM statement the translate function needs for the engine (the CDK app turns it into a policy). */
export type EngineGrant =
  /** Actions that authorize no resource type: `Resource "*"`, acknowledged with `reason` (cdk-nag). */
  | { readonly actions: readonly string[]; readonly anyResource: { readonly id: string; readonly reason: string } }
  /** Actions on resources of the deployment's account and region, e.g. `translate` `terminology` names. */
  | { readonly actions: readonly string[]; readonly resources: { readonly service: string; readonly resource: string; readonly names: readonly string[] } };

/** What the local stack needs for the engine beyond its settings. */
export interface EngineLocalSetup {
  /** The handlers keep the user's own AWS credentials (the emulators then accept that key pair). */
  readonly awsCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Extra handler environment (e.g. the region the engine is called in). */
  readonly environment?: Readonly<Record<string, string>>;
  /** One line for the banner, e.g. `deepl (free API)`. */
  readonly description: string;
}

export type SettingSpecs<S> = { readonly [K in keyof S]-?: EngineSetting<NonNullable<S[K]>> };

/** Every piece an engine declares; a missing one is a compile error in its `defineEngine` call. */
export interface EngineDefinition<N extends string, S, K extends string> {
  /** The engine name: configuration value, provenance of its variants, price-table key. */
  readonly name: N;
  /** The name outputs credit ("Machine translation by DeepL."). */
  readonly displayName: string;
  /** Estimated list price, USD per million characters (the cost ledger's default). */
  readonly defaultPrice: number;
  /** Engine requests in flight a deployment allows by default (sizes the translate stage). */
  readonly defaultConcurrency: number;
  /** Short names `--engine` also accepts (the CLI maps them; they never become engine names). */
  readonly aliases: readonly string[];
  readonly settings: SettingSpecs<S>;
  readonly secrets: { readonly [P in K]: EngineSecret };
  /** IAM the translate function needs for these settings (none: an empty list). */
  iam(settings: Partial<S>): readonly EngineGrant[];
  /**
   * Local stack: checks what the settings cannot (credentials) before anything starts.
   * @throws ConfigError naming what is missing and how to provide it.
   */
  prepareLocal(settings: Partial<S>, env: Readonly<Record<string, string | undefined>>): Promise<EngineLocalSetup>;
  /**
   * Builds the engine from checked settings and secret values; loads its client with `import()`.
   * @throws ConfigError naming a missing or bad setting.
   */
  create(settings: Partial<S>, secrets: Partial<Record<K, string>>): Promise<TranslationEngine>;
}

/**
 * Declares an engine. The type parameters are inferred from the settings and secrets, so each of
 * `iam`, `prepareLocal` and `create` sees its own engine's settings.
 *
 * @example
 * export const pseudo = defineEngine({ name: 'pseudo', displayName: '…', settings: {}, secrets: {}, … });
 */
export function defineEngine<const N extends string, S extends object = Record<never, never>, K extends string = never>(definition: EngineDefinition<N, S, K>): EngineDefinition<N, S, K> {
  return definition;
}

// ---------------------------------------------------------------------------------------------
// Parsers shared by several engines

const asString = (value: unknown, expected: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`expected ${expected}`);
  return value.trim();
};

/** An absolute http(s) URL without a trailing slash. */
export function parseHttpUrl(value: unknown): string {
  const text = asString(value, 'an absolute http(s) URL');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`expected an absolute http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new Error(`expected an http(s) URL, got ${JSON.stringify(text)}`);
  return text.replace(/\/+$/, '');
}

export type Formality = 'formal' | 'informal';

/** `formal` or `informal`, in any case (`FORMAL` is what Amazon Translate calls it). */
export function parseFormality(value: unknown): Formality {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (text !== 'formal' && text !== 'informal') throw new Error('expected formal or informal');
  return text;
}

/** The one formality setting the engines that support it share (same variable, same context key). */
export const FORMALITY_SETTING: EngineSetting<Formality> = {
  env: 'TRANSLATE_FORMALITY',
  context: true,
  needs: 'the preferred formality where the target language supports it',
  example: 'formal',
  parse: parseFormality,
};

/** A JSON value given as a string (environment, `-c key='…'`); anything else passes through. */
export function jsonIfString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`expected JSON (${(error as Error).message})`);
  }
}
