/**
 * The deployment's settings, read once from CDK context (`cdk.json` or `-c key=value`) and
 * validated before any construct is built: a bad value stops `cdk synth` with a message that names
 * the context key, what it got and what it accepts.
 *
 * Values given with `-c` on the command line arrive as strings, so every list, number, boolean and
 * object setting also accepts its string form (`-c targetLanguages=de,fr`, `-c retainData=false`,
 * `-c prices='{"deepl":25}'`).
 *
 * The engines' keys (settings and secret ARNs) are not listed here: each engine declares them
 * (functions/adapters/<engine>/definition.ts) and `readEngineContext` reads them from the registry.
 */
import { z } from 'zod';
import { parseQaPolicy } from '../functions/config';
import { ConfigError } from '../functions/core/errors';
import { DEFAULT_TARGET_LANGUAGES, normalizeLanguageTag } from '../functions/core/languages';
import { STAGE_NAMES, STAGES, type StageName } from '../functions/stages';
import {
  DEFAULT_PRICES as ENGINE_DEFAULT_PRICES,
  DEFAULT_ENGINE_CONCURRENCY as ENGINE_DEFAULT_CONCURRENCY,
  ENGINE_NAMES,
  type EngineConfig,
  type EngineName,
  engineContextKeys,
  readEngineContext,
} from '../functions/adapters/engines/registry';

/** The engine names `engine` accepts: the registry's (functions/adapters/engines/registry.ts). */
export const TRANSLATION_ENGINES = ENGINE_NAMES as readonly [EngineName, ...EngineName[]];
export type TranslationEngineName = EngineName;

/** The Lambda functions of the pipeline, one per stage of the stage table (functions/stages.ts). */
export const FUNCTION_NAMES = STAGE_NAMES;
export type FunctionName = StageName;

/**
 * Estimated list prices in USD per million characters, used for the cost ledger of each variant:
 * each engine's `defaultPrice` (one source of truth). Estimates, not quotes: override them with
 * the `prices` context key.
 */
export const DEFAULT_PRICES = ENGINE_DEFAULT_PRICES;

/**
 * Engine requests in flight that a deployment allows by default (`engineConcurrency`), the figure
 * the translate stage is sized from: each engine's `defaultConcurrency`. Neither Amazon Translate
 * nor DeepL publishes a concurrency quota (users meet ThrottlingException / HTTP 429 under
 * bursts), so these are conservative starting points, not quotas: raise them to what your account
 * or plan sustains.
 */
export const DEFAULT_ENGINE_CONCURRENCY = ENGINE_DEFAULT_CONCURRENCY;

/**
 * Maximum concurrency of each stage's SQS event source (`maxConcurrency`, 2–1000, SQS's bounds),
 * except translate, which is sized from `engineConcurrency` unless set. Without a cap an SQS
 * event source scales to the account's whole Lambda concurrency (1,000 by default), starving
 * every other function of the account.
 */
export const DEFAULT_MAX_CONCURRENCY = Object.fromEntries(
  FUNCTION_NAMES.flatMap((name) => {
    const max = STAGES[name].maxConcurrency;
    return max === undefined ? [] : [[name, max]];
  }),
) as Readonly<Record<Exclude<FunctionName, 'translate'>, number>>;

/**
 * The context keys with a default, and the default. `cdk.json` documents the same defaults. Prices
 * default to the engines' own (`priceTable`), so `prices` holds only overrides.
 */
export const CONTEXT_DEFAULTS = {
  stackPrefix: 'polywire',
  targetLanguages: [...DEFAULT_TARGET_LANGUAGES],
  engine: 'amazon-translate' satisfies EngineName,
  prices: {},
  siteTitle: 'polywire newsroom',
  retainData: true,
  embargoTranslation: 'ahead',
} as const;

/** The context keys polywire reads besides the engines' own (`engineContextKeys`). */
const BASE_CONTEXT_KEYS = [
  'stackPrefix',
  'targetLanguages',
  'engine',
  'prices',
  'domainName',
  'certificateArn',
  'alarmEmail',
  'siteTitle',
  'qaPolicy',
  'retainData',
  'reservedConcurrency',
  'maxConcurrency',
  'engineConcurrency',
  'embargoTranslation',
] as const;

/** Every context key polywire reads. */
export const CONTEXT_KEYS: readonly string[] = [...BASE_CONTEXT_KEYS, ...engineContextKeys()];

/** Parses JSON given as a string (from `-c key='{...}'`); anything else passes through. */
const jsonIfString = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const booleanLike = z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean({ error: 'expected true or false' }));

const languageTag = z.string().transform((tag, ctx) => {
  try {
    return normalizeLanguageTag(tag.trim());
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag (e.g. de, zh-Hans, pt)` });
    return z.NEVER;
  }
});

const languageList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').filter((tag) => tag.trim() !== '') : value),
  z
    .array(languageTag)
    .min(1, 'expected at least one language tag')
    .refine((tags) => new Set(tags).size === tags.length, 'a language is listed twice'),
);

const contextSchema = z
  .object({
    stackPrefix: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, 'expected letters, digits and dashes, starting with a letter (max 40)'),
    targetLanguages: languageList,
    engine: z.enum(TRANSLATION_ENGINES, { error: `expected one of ${TRANSLATION_ENGINES.join(', ')}` }),
    prices: z.preprocess(
      jsonIfString,
      z.partialRecord(z.enum(TRANSLATION_ENGINES), z.number().nonnegative(), {
        error: `expected an object of engine (${TRANSLATION_ENGINES.join(', ')}) to USD per million characters`,
      }),
    ),
    domainName: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a lower-case host name such as news.example.com')
      .optional(),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, 'expected an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from us-east-1)')
      .optional(),
    alarmEmail: z.email({ error: 'expected an e-mail address' }).optional(),
    siteTitle: z.string().trim().min(1, 'expected a non-empty title').max(200, 'expected at most 200 characters'),
    /** The functions' `QA_POLICY` (docs/qa.md); unset = the default policy. */
    qaPolicy: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        try {
          parseQaPolicy(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message.replace('environment variable QA_POLICY', 'the QA policy') });
        }
      })
      .optional(),
    retainData: booleanLike,
    // Whether held releases go to the translation engine at upload (`ahead`) or at the lift
    // (`at-lift`): a data-use decision, see docs/lifecycle.md.
    embargoTranslation: z.enum(['ahead', 'at-lift'], { error: 'expected ahead or at-lift' }),
    reservedConcurrency: z.preprocess(
      jsonIfString,
      z
        .partialRecord(z.enum(FUNCTION_NAMES), z.number().int().min(1).max(1000), {
          error: `expected an object of function (${FUNCTION_NAMES.join(', ')}) to a whole number of executions`,
        })
        .optional(),
    ),
    maxConcurrency: z.preprocess(
      jsonIfString,
      z
        .partialRecord(z.enum(FUNCTION_NAMES), z.number().int().min(2).max(1000), {
          error: `expected an object of function (${FUNCTION_NAMES.join(', ')}) to a whole number from 2 to 1000 (the SQS event source's bounds)`,
        })
        .optional(),
    ),
    engineConcurrency: z.preprocess(
      (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
      z.number({ error: 'expected a whole number of engine requests in flight' }).int().min(1).max(10_000).optional(),
    ),
  })
  .superRefine((config, ctx) => {
    if (Boolean(config.domainName) !== Boolean(config.certificateArn)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.domainName ? 'certificateArn' : 'domainName'],
        message: 'domainName and certificateArn go together: give both for a custom domain, or neither',
      });
    }
  });

/** The validated settings of one deployment; `engineConfig` holds the configured engine's settings and secret ARNs. */
export type PolywireConfig = z.output<typeof contextSchema> & { engineConfig: EngineConfig };

/** Reads one context value; `tryGetContext` is the shape of `construct.node` we need. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/**
 * Reads and validates polywire's context keys, applying the defaults.
 *
 * @throws ConfigError naming every bad key, what it got and what it accepts.
 * @example
 * const config = loadConfig(app.node);
 */
export function loadConfig(source: ContextSource): PolywireConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value = source.tryGetContext(key);
    const fallback = (CONTEXT_DEFAULTS as Record<string, unknown>)[key];
    // An empty string from `-c key=` means "unset", like an absent key.
    raw[key] = value === undefined || value === '' ? fallback : value;
  }
  const result = contextSchema.safeParse(raw);
  const given = (key: string) => JSON.stringify(raw[key]) ?? 'nothing';
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? 'context');
        const rest = issue.path.slice(1).map(String).join('.');
        return `  - context "${key}"${rest ? ` (${rest})` : ''}: ${issue.message} (got ${given(key)})`;
      });
  // The engine's keys, as its definition declares them (only with a valid engine name).
  const engine = result.success ? result.data.engine : TRANSLATION_ENGINES.find((name) => name === raw.engine);
  const engineContext = readEngineContext(engine ?? CONTEXT_DEFAULTS.engine, (key) => raw[key]);
  problems.push(...engineContext.problems.map(({ key, message }) => `  - context "${key}": ${message} (got ${given(key)})`));
  if (!result.success || problems.length > 0) {
    throw new ConfigError(`Invalid polywire configuration in CDK context (cdk.json or -c key=value):\n${problems.join('\n')}`);
  }
  return { ...result.data, engineConfig: engineContext.config };
}

/** The full price table handed to the functions: defaults overridden by the configured ones. */
export function priceTable(config: PolywireConfig): Record<TranslationEngineName, number> {
  return { ...DEFAULT_PRICES, ...config.prices };
}
