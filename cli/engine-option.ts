/**
 * The `--engine` option of the commands that translate (`translate`, `render`). Short aliases are
 * a command-line convenience, so they are mapped here, at the edge, and never become engine names
 * (the pipeline's configuration and the variants' provenance keep the one canonical name).
 */
import { ConfigError } from '../functions/core/errors';
import type { EngineName } from '../functions/ports';

/** Aliases accepted by `--engine`, with the engine name each stands for. */
export const ENGINE_ALIASES: Readonly<Record<string, EngineName>> = Object.freeze({ amazon: 'amazon-translate' });

/**
 * Commander argument parser for `--engine`: an alias becomes its engine name; anything else
 * passes through unchanged, for the command to validate against the engine names.
 *
 * @example
 * program.option('--engine <name>', 'translation engine', parseEngineOption, 'pseudo');
 */
export function parseEngineOption(value: string): string {
  return ENGINE_ALIASES[value.trim().toLowerCase()] ?? value;
}

/**
 * The engine settings `translate` and `render` read from the environment, checked here so a
 * missing one is named by its environment variable (the one name a user sets), as `start` does.
 *
 * @throws ConfigError "the deepl engine needs an API key: set DEEPL_API_KEY in the environment"
 */
export function engineSettingsFromEnvironment(engine: string, env: NodeJS.ProcessEnv): { region?: string; deeplApiKey?: string; libreTranslateUrl?: string; libreTranslateApiKey?: string } {
  if (engine === 'deepl' && !env.DEEPL_API_KEY?.trim()) throw new ConfigError('the deepl engine needs an API key: set DEEPL_API_KEY in the environment');
  if (engine === 'libretranslate' && !env.LIBRETRANSLATE_URL?.trim()) throw new ConfigError('the libretranslate engine needs its server URL: set LIBRETRANSLATE_URL in the environment, e.g. http://localhost:5000');
  return {
    ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
    ...(env.DEEPL_API_KEY?.trim() ? { deeplApiKey: env.DEEPL_API_KEY.trim() } : {}),
    ...(env.LIBRETRANSLATE_URL?.trim() ? { libreTranslateUrl: env.LIBRETRANSLATE_URL.trim() } : {}),
    ...(env.LIBRETRANSLATE_API_KEY ? { libreTranslateApiKey: env.LIBRETRANSLATE_API_KEY } : {}),
  };
}
