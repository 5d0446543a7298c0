import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ENGINE_NAMES } from '../../../functions/adapters/engines/registry';
import { register as registerRender } from '../../../cli/commands/render';
import { register as registerTranslate } from '../../../cli/commands/translate';
import { ENGINE_ALIASES, parseEngineOption } from '../../../cli/engine-option';

describe('--engine', () => {
  it('maps the alias amazon to amazon-translate and passes other values through', () => {
    expect(parseEngineOption('amazon')).toBe('amazon-translate');
    expect(parseEngineOption('amazon-translate')).toBe('amazon-translate');
    expect(parseEngineOption('deepl')).toBe('deepl');
    expect(parseEngineOption('babelfish')).toBe('babelfish');
    for (const name of Object.values(ENGINE_ALIASES)) expect(ENGINE_NAMES).toContain(name);
    // Aliases live in the CLI only: they are not engine names.
    expect(ENGINE_NAMES as readonly string[]).not.toContain('amazon');
  });

  it.each([
    ['translate', registerTranslate, []],
    ['render', registerRender, ['--out', 'out']],
  ])('polywire %s accepts --engine amazon as amazon-translate', (name, register, required) => {
    const program = new Command('polywire').exitOverride();
    register(program);
    const command = program.commands.find((c) => c.name() === name)!;
    let seen: unknown;
    command.action((_file: string, options: { engine: string }) => {
      seen = options.engine;
    });
    program.parse(['node', 'polywire', name, 'release.txt', ...required, '--engine', 'amazon']);
    expect(seen).toBe('amazon-translate');
  });
});
