/**
 * The `--engine` option of the commands that translate (`translate`, `render`) and of `start`.
 * Short aliases are a command-line convenience (each engine declares its own, see
 * functions/adapters/engines/registry.ts), so they are mapped here, at the edge, and never become
 * engine names (the pipeline's configuration and the variants' provenance keep the one canonical name).
 */
import { ENGINE_ALIASES, ENGINE_NAMES, type EngineConfig, type EngineName, ENGINES, readEngineConfig } from '../functions/adapters/engines/registry';

export { ENGINE_ALIASES };

/** The engines for `--engine` help, with their aliases: `pseudo | amazon-translate (alias amazon) | …`. */
export const ENGINE_CHOICES = ENGINES.map((engine) => (engine.aliases.length ? `${engine.name} (alias ${engine.aliases.join(', ')})` : engine.name)).join(', ');

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

export function isKnownEngine(value: string): value is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(value);
}

/**
 * The engine's settings and keys from the environment (its definition names the variables), checked
 * here so a missing one is named by its environment variable (the one name a user sets), as `start` does.
 *
 * @throws ConfigError "the deepl engine needs an API key: set DEEPL_API_KEY in the environment"
 */
export function engineConfigFromEnvironment(engine: EngineName, env: NodeJS.ProcessEnv): EngineConfig {
  return readEngineConfig(engine, env, { style: 'user', plainSecrets: true });
}
