/**
 * `polywire translate <file> --to de,fr,… [--engine pseudo] [--glossary glossary.yaml] [--json]`:
 * parses a release file and translates it the way the pipeline does (segments, glossary,
 * translation memory, ledger), with an in-memory translation memory. The default engine is the
 * offline pseudo-localizer, so it works without credentials or network. Real engines read their
 * settings from the environment variables their definitions declare (docs/translation.md#engines).
 */
import type { Command } from 'commander';
import { ENGINE_CHOICES, engineConfigFromEnvironment, isKnownEngine, parseEngineOption } from '../engine-option';

interface TranslateOptions {
  to?: string;
  engine: string;
  glossary?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('translate')
    .description('Translate a release file into target languages and show the variants and what they cost')
    .argument('<file>', 'release file (.txt, .md, .html, .json, ninjs, .docx)')
    .option('--to <languages>', "comma-separated target languages (default: the release's targets, else all wire languages)")
    .option('--engine <name>', `translation engine: ${ENGINE_CHOICES}`, parseEngineOption, 'pseudo')
    .option('--glossary <file>', 'glossary file (default: ./glossary.yaml when present)')
    .option('--json', 'print the outcomes (variants and ledgers) as JSON')
    .action(async (file: string, options: TranslateOptions) => {
      process.exitCode = await runTranslate(file, options);
    });
}

/** Returns the exit code: 0 when every language was translated, 1 when any failed. */
export async function runTranslate(file: string, options: TranslateOptions): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const { existsSync } = await import('node:fs');
  const { parseRelease } = await import('../../functions/core/parse/index');
  const { InputError, ConfigError } = await import('../../functions/core/errors');
  const { DEFAULT_TARGET_LANGUAGES } = await import('../../functions/core/languages');
  const translation = await import('../../functions/core/translation/index');
  const { createEngine, DEFAULT_PRICES, ENGINE_NAMES } = await import('../../functions/adapters/engines/registry');

  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new InputError('FILE_NOT_READABLE', `cannot read the file: ${reason}`, { file }, 'check the path', { cause });
  }
  const release = await parseRelease({ name: file, bytes });

  const glossaryFile = options.glossary ?? (existsSync('glossary.yaml') ? 'glossary.yaml' : undefined);
  const glossary = glossaryFile ? translation.parseGlossary(await readFile(glossaryFile, 'utf8'), glossaryFile) : translation.EMPTY_GLOSSARY;

  if (!isKnownEngine(options.engine)) {
    throw new ConfigError(`--engine ${JSON.stringify(options.engine)} is unknown: use one of ${ENGINE_NAMES.join(', ')}`);
  }
  const engine = await createEngine(engineConfigFromEnvironment(options.engine, process.env));

  const requested = options.to
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const targets = translation.resolveTargets(requested ? { ...release, targets: requested } : release, DEFAULT_TARGET_LANGUAGES);
  const outcomes = await translation.translateRelease(release, targets, {
    engine,
    memory: new translation.InMemoryTranslationMemory(),
    glossary,
    prices: DEFAULT_PRICES,
  });

  const translated = outcomes.flatMap((o) => (o.status === 'translated' ? [o.variant.ledger] : []));
  const totals = {
    billedCharacters: translated.reduce((sum, l) => sum + l.billedCharacters, 0),
    memoryCharacters: translated.reduce((sum, l) => sum + l.memoryCharacters, 0),
    requests: translated.reduce((sum, l) => sum + l.requests, 0),
    estimatedCostUsd: Math.round(translated.reduce((sum, l) => sum + l.estimatedCostUsd, 0) * 1e6) / 1e6,
  };
  if (options.json) {
    console.log(JSON.stringify({ releaseId: release.id, version: release.version, sourceLanguage: release.language, engine: engine.name, glossaryVersion: glossary.version, outcomes, totals }, null, 2));
  } else {
    const [{ default: Table }, { truncate }] = await Promise.all([import('cli-table3'), import('../../functions/core/text')]);
    const table = new Table({ head: ['language', 'status', 'provenance', 'billed chars', 'memory chars', 'requests', 'est. USD', 'headline / reason'] });
    for (const outcome of outcomes) {
      if (outcome.status === 'translated') {
        const { ledger, provenance, content } = outcome.variant;
        table.push([
          outcome.language,
          'translated',
          `${provenance.kind} (${provenance.engine})`,
          ledger.billedCharacters,
          ledger.memoryCharacters,
          ledger.requests,
          ledger.estimatedCostUsd.toFixed(6),
          truncate(content.headline, 60),
        ]);
      } else {
        table.push([outcome.language, 'FAILED', '', '', '', '', '', truncate(`${outcome.error.code}: ${outcome.error.message}`, 60)]);
      }
    }
    table.push(['total', '', '', totals.billedCharacters, totals.memoryCharacters, totals.requests, totals.estimatedCostUsd.toFixed(6), '']);
    console.log(`${release.id} v${release.version} (${release.language}) → ${targets.join(', ')} with ${engine.name}`);
    console.log(table.toString());
    if (engine.kind === 'pseudo') console.log('pseudo engine: output is pseudo-localized test text, not a translation.');
  }
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}
