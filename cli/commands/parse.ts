/**
 * `polywire parse <files...> [--json]`: reads release files the way the ingest Lambda does and shows
 * what it understood. One file: a readable summary (or the Release JSON with --json). Several
 * files: a table, continuing past bad files and failing at the end if any could not be parsed.
 * The parsers and cli-table3 are imported inside the action, so other commands do not load them.
 */
import type { Command } from 'commander';
import type { Release } from '../../functions/core/release';
import type { Explanation } from '../../functions/core/parse/structure';

export function register(program: Command): void {
  program
    .command('parse')
    .description('Parse release files (.txt, .md, .html, .json, ninjs, .docx) and show the structured release')
    .argument('<files...>', 'release files to parse')
    .option('--json', 'print the parsed release as JSON (one file), or a JSON array of results (several files)')
    .option('--explain', 'show, block by block, which part each became and by which rule, and why blocks stayed in the body')
    .action(async (files: string[], options: { json?: boolean; explain?: boolean }) => {
      process.exitCode = await runParse(files, options);
    });
}

type Outcome = { file: string; release: Release } | { file: string; error: Error & { code?: string } };

/** Parses each file; returns the exit code. A single bad file throws, so cli/main.ts prints it (exit 2). */
export async function runParse(files: readonly string[], options: { json?: boolean; explain?: boolean }): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const { parseRelease } = await import('../../functions/core/parse/index');
  const { InputError } = await import('../../functions/core/errors');

  const explanations = new Map<string, readonly Explanation[]>();
  const parseOne = async (file: string): Promise<Release> => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (cause) {
      const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
      throw new InputError('FILE_NOT_READABLE', `cannot read the file: ${reason}`, { file }, 'check the path', { cause });
    }
    return parseRelease({ name: file, bytes }, { onExplain: (found) => explanations.set(file, found) });
  };

  if (files.length === 1) {
    const release = await parseOne(files[0]!);
    const explained = explanations.get(files[0]!) ?? [];
    if (options.json) console.log(JSON.stringify(options.explain ? { release, explanations: explained } : release, null, 2));
    else console.log(options.explain ? `${summarize(release)}\n\n${explainTable(explained)}` : summarize(release));
    return 0;
  }

  const outcomes: Outcome[] = [];
  for (const file of files) {
    try {
      outcomes.push({ file, release: await parseOne(file) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      outcomes.push({ file, error });
    }
  }
  const failed = outcomes.filter((outcome) => 'error' in outcome).length;
  if (options.json) {
    console.log(
      JSON.stringify(
        outcomes.map((o) =>
          'release' in o ? { file: o.file, release: o.release, ...(options.explain ? { explanations: explanations.get(o.file) ?? [] } : {}) } : { file: o.file, error: { code: o.error.code, message: o.error.message } },
        ),
        null,
        2,
      ),
    );
  } else {
    console.log(await table(outcomes));
    if (options.explain) {
      for (const outcome of outcomes) if ('release' in outcome) console.log(`\n${outcome.file}\n${explainTable(explanations.get(outcome.file) ?? [])}`);
    }
    console.log(`${outcomes.length - failed} parsed, ${failed} failed`);
  }
  if (failed > 0) console.error(`polywire: ${failed} of ${outcomes.length} files could not be parsed`);
  return failed > 0 ? 2 : 0;
}

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const languageCell = (release: Release): string => (release.languageSource === 'declared' ? `${release.language} (declared)` : `${release.language} (${release.languageConfidence.toFixed(2)})`);

async function table(outcomes: readonly Outcome[]): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const rows = new Table({
    head: ['file', 'format', 'language', 'headline', 'blocks', 'categories', 'error'],
    colWidths: [30, 10, 15, 44, 8, 24, 50],
    wordWrap: true,
    // Colours only on a terminal: piped output stays plain text.
    ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
  });
  for (const outcome of outcomes) {
    const name = outcome.file.split(/[\\/]/).at(-1) ?? outcome.file;
    if ('release' in outcome) {
      const r = outcome.release;
      rows.push([name, r.source.format, languageCell(r), truncate(r.headline, 84), r.body.length, r.categories.join(', '), '']);
    } else {
      rows.push([name, '', '', '', '', '', `${outcome.error.code ?? 'ERROR'}: ${outcome.error.message}`]);
    }
  }
  return rows.toString();
}

/**
 * Pictures as parsed (their bytes are checked at ingest, not here), with a warning for each
 * picture without alt text: it is published, but unreadable to screen-reader users.
 */
function pictureLines(release: Release): string[] {
  const pictures = [...release.body, ...release.boilerplates.flatMap((b) => b.body)].filter((b) => b.type === 'picture');
  return pictures.flatMap((picture, i) => {
    const ref = picture.ref?.startsWith('embedded:') ? 'embedded' : (picture.ref ?? 'processed');
    return [
      `picture      ${i + 1}: ${picture.alt ? `"${truncate(picture.alt, 60)}"` : '(no alt text)'}  ← ${truncate(ref, 60)}`,
      ...(picture.alt ? [] : [`warning      picture ${i + 1} has no alt text: add a description (Word: Alt Text; Markdown: ![description](file))`]),
    ];
  });
}

/** A readable, one-screen view of a parsed release. */
export function summarize(release: Release): string {
  const counts = new Map<string, number>();
  for (const block of release.body) counts.set(block.type, (counts.get(block.type) ?? 0) + 1);
  const lines = [
    `${release.source.name}  (${release.source.format}, ${release.source.encoding}, ${release.source.bytes} bytes)`,
    '',
    `id           ${release.id}  v${release.version}`,
    `language     ${languageCell(release)}`,
    `headline     ${release.headline}`,
    ...(release.subheadline ? [`subheadline  ${release.subheadline}`] : []),
    ...(release.sourceTag ? [`source tag   ${release.sourceTag.raw}${release.sourceTag.wire ? `  → wire ${release.sourceTag.wire}` : ''}`] : []),
    ...(release.embargo ? [`embargo      ${release.embargo.until}  (${release.embargo.raw})`] : []),
    ...(release.date ? [`date         ${release.date}`] : []),
    `body         ${release.body.length} blocks (${[...counts].map(([type, n]) => `${n} ${type}`).join(', ')})`,
    `categories   ${release.categories.join(', ') || '—'}`,
    ...(release.disclaimer ? [`disclaimer   ${truncate(release.disclaimer, 100)}`] : []),
    ...release.boilerplates.map((b) => `boilerplate  ${b.kind}${b.title ? `: ${b.title}` : ''} (${b.body.length} blocks)`),
    ...release.contacts.map((c) => `contact      ${[c.name, c.organization, c.email, c.phone].filter(Boolean).join(' · ') || truncate(c.text.replace(/\n/g, ' · '), 100)}`),
    ...(release.canonicalUrl ? [`canonical    ${release.canonicalUrl}`] : []),
    ...(release.targets ? [`targets      ${release.targets.join(', ')}`] : []),
    ...(release.glossary ? [`glossary     ${release.glossary.join(', ')}`] : []),
    ...(release.translations ? [`translations ${Object.keys(release.translations).join(', ')}`] : []),
    ...pictureLines(release),
    ...(release.warnings ?? []).map((w) => `warning      ${w}`),
  ];
  return lines.join('\n');
}

/**
 * One line per block: where it was, what it became, the rule that decided it (or why it stayed in
 * the body), and its first characters — what a wire's editor needs to see why a block was not
 * recognized.
 */
export function explainTable(explanations: readonly Explanation[]): string {
  if (explanations.length === 0) return 'structure    (no blocks classified)';
  const rows = explanations.map((e) => {
    const where = e.line === undefined ? '' : `line ${e.line}`;
    return `${where.padEnd(9)} ${e.part.padEnd(17)} ${e.rule}\n${''.padEnd(28)}“${e.text}”`;
  });
  return ['structure, block by block (line, part, rule, text):', ...rows].join('\n');
}
