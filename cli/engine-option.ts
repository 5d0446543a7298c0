/**
 * The `--engine` option of the commands that translate (`translate`, `render`). Short aliases are
 * a command-line convenience, so they are mapped here, at the edge, and never become engine names
 * (the pipeline's configuration and the variants' provenance keep the one canonical name).
 */
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
