/**
 * `polywire render`: one release file → a folder laid out like the distribution bucket (pages,
 * ninjs, feeds, indexes, sitemaps), without AWS. Parse, translate (offline pseudo engine by
 * default), render, write.
 */
import type { Command } from 'commander';
import { ENGINE_CHOICES, engineConfigFromEnvironment, isKnownEngine, parseEngineOption } from '../engine-option';

interface RenderOptions {
  out: string;
  engine: string;
  to?: string;
  baseUrl: string;
  title: string;
  glossary?: string;
  publishedAt?: string;
}

export function register(program: Command): void {
  program
    .command('render')
    .description('Parse, translate and render one release into a folder laid out like the distribution bucket')
    .argument('<file>', 'release file (.txt, .md, .html, .json, ninjs .json, .docx)')
    .requiredOption('--out <dir>', 'output folder (created if missing; files in it are overwritten)')
    .option('--engine <name>', `translation engine: ${ENGINE_CHOICES} (pseudo works offline)`, parseEngineOption, 'pseudo')
    .option('--to <tags>', "target languages, comma-separated BCP 47 tags (default: the release's targets, else all 15)")
    .option('--base-url <url>', 'absolute site URL used in hreflang, canonical, feeds and sitemaps', 'http://localhost:8080')
    .option('--title <name>', 'newsroom name shown on pages and feeds', 'polywire newsroom')
    .option('--glossary <file>', 'glossary.yaml with do-not-translate terms')
    .option('--published-at <iso>', "when the release is made public (ISO 8601), as the upload time is in the pipeline (default: the file's modification time); an embargo or publishAt after it wins")
    .addHelpText(
      'after',
      `
Engines other than pseudo read their settings from the environment (docs/translation.md#engines),
e.g. DEEPL_API_KEY (deepl), LIBRETRANSLATE_URL (libretranslate), AWS credentials (amazon-translate).

Examples:
  polywire render seeds/seaprwire-de-2024-blinken.txt --out out/site
  polywire render launch.md --out out/site --to en,fr,ar --base-url https://news.example.com
  npx http-server out/site   # or open out/site/index.html`,
    )
    .action(async (file: string, options: RenderOptions) => {
      await runRender(file, options);
    });
}

async function runRender(file: string, options: RenderOptions): Promise<void> {
  const [
    { readFile, mkdir, writeFile, stat },
    { basename, dirname, join, resolve },
    parse,
    translation,
    { createEngine, DEFAULT_PRICES, ENGINE_DISPLAY_NAMES, ENGINE_NAMES },
    render,
    languages,
    { InputError },
    lifecycle,
  ] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('../../functions/core/parse/index'),
    import('../../functions/core/translation/index'),
    import('../../functions/adapters/engines/registry'),
    import('../../functions/core/render/index'),
    import('../../functions/core/languages'),
    import('../../functions/core/errors'),
    import('../../functions/core/lifecycle'),
  ]);

  if (!isKnownEngine(options.engine)) {
    throw new InputError('UNKNOWN_ENGINE', `unknown engine "${options.engine}"`, { field: '--engine' }, `use one of ${ENGINE_NAMES.join(', ')}`);
  }
  const fallbackPublishedAt = options.publishedAt === undefined ? undefined : parsePublishedAt(options.publishedAt, InputError);
  const bytes = await readFile(file);
  const release = await parse.parseRelease({ name: basename(file), bytes });

  const requested = options.to
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const targets = translation.resolveTargets(requested ? { ...release, targets: requested } : release, languages.DEFAULT_TARGET_LANGUAGES);

  const engine = await createEngine(engineConfigFromEnvironment(options.engine, process.env));
  const projectGlossary = options.glossary ? translation.parseGlossary(await readFile(options.glossary, 'utf8'), options.glossary) : translation.EMPTY_GLOSSARY;
  const deps = {
    engine,
    memory: new translation.InMemoryTranslationMemory(),
    glossary: translation.mergeGlossary(projectGlossary, release.glossary),
    prices: DEFAULT_PRICES,
  };

  const original = await translation.translateVariant(release, release.language, deps);
  const outcomes = await translation.translateRelease(release, targets, deps);
  const variants = [original];
  for (const outcome of outcomes) {
    if (outcome.status === 'translated') variants.push(outcome.variant);
    else console.error(`polywire: ${outcome.language} not rendered: ${outcome.error.message} (${outcome.error.code})`);
  }

  // The pipeline's date rule (docs/lifecycle.md), with --published-at or the file's modification
  // time standing for the upload: published then, or at the lift of a hold still ahead of it.
  // The issuer's date and dateline are shown as written, never taken as the publication time.
  // No instant comes from the clock, so rendering the same file twice gives the same bytes; the
  // same instant is "now" for the news sitemap's two-day window.
  const publishedAt = lifecycle.publicationTimeAt(release, fallbackPublishedAt ?? (await stat(file)).mtime.toISOString());
  const now = publishedAt;
  const times = { publishedAt, updatedAt: publishedAt };
  const site = { baseUrl: options.baseUrl, title: options.title, engineNames: ENGINE_DISPLAY_NAMES };
  const versionLanguages = variants.map((v) => v.language);

  const files = variants.flatMap((variant) => render.renderVariantFiles({ site, release, variant, languages: versionLanguages, times }));
  const entries = variants.map((variant) => render.feedEntryOf(release, variant, times));
  await Promise.all([render.loadFeedRenderer(), render.loadSitemapRenderer()]);
  for (const entry of entries) {
    files.push(...render.renderLanguageFiles({ site, language: entry.language, entries: [entry], updatedAt: entry.updatedAt }));
    for (const category of entry.categories) {
      files.push(...render.renderLanguageFiles({ site, language: entry.language, category, entries: [entry], updatedAt: entry.updatedAt }));
    }
  }
  files.push(
    ...render.renderRootFiles({
      site,
      languages: entries.map((entry) => ({ language: entry.language, latest: [entry] })),
      recent: entries,
      now,
    }),
  );

  const outDir = resolve(options.out);
  const written = new Set<string>();
  for (const output of files) {
    // Two categories can share a slug in one language; the first one's files win.
    if (written.has(output.path)) continue;
    written.add(output.path);
    const target = join(outDir, ...output.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.body);
  }

  const billed = variants.reduce((sum, v) => sum + v.ledger.billedCharacters, 0);
  const cost = variants.reduce((sum, v) => sum + v.ledger.estimatedCostUsd, 0);
  console.log(
    `Rendered ${release.id} (${release.language}) in ${variants.length} language(s): ${versionLanguages.join(', ')}\n` +
      `${written.size} files in ${outDir}; open ${join(outDir, 'index.html')}\n` +
      `engine ${engine.name}: ${billed.toLocaleString('en')} characters billed, about USD ${cost.toFixed(4)}`,
  );
  if (outcomes.some((o) => o.status === 'failed')) process.exitCode = 4;
}

/** `--published-at` as a normalized ISO instant; a value `Date` cannot read is the user's error. */
function parsePublishedAt(value: string, InputErrorClass: typeof import('../../functions/core/errors').InputError): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new InputErrorClass('INVALID_PUBLISHED_AT', `--published-at "${value}" is not a date`, { field: '--published-at' }, 'give an ISO 8601 instant such as 2024-11-27T09:00:00Z');
  }
  return new Date(time).toISOString();
}
