/**
 * `polywire qa <source-file> <translated-file> [--json]`: checks a translation against its source
 * the way the pipeline's QA gate does (figures, dates, protected items, untranslated text, …).
 * The translated file may be in any input format (e.g. `release.de.md`, as uploaded for a human
 * translation). Exit 0 without errors, 1 with errors, 2 on bad input.
 */
import type { Command } from 'commander';
import type { QaReport } from '../../functions/core/qa';

interface QaOptions {
  json?: boolean;
  language?: string;
  glossary?: string;
}

export function register(program: Command): void {
  program
    .command('qa')
    .description('Check a translation against its source release: figures, dates, protected items, untranslated text, script, sentences, length, loops, brackets')
    .argument('<source-file>', 'the source release (.txt, .md, .html, .json, ninjs, .docx)')
    .argument('<translated-file>', 'the translation, in any input format (e.g. release.de.md)')
    .option('--json', 'print { language, findings: [...] } as JSON')
    .option('--language <tag>', 'language of the translation (default: from the file name, e.g. .de.md, else declared or detected)')
    .option('--glossary <file>', 'project glossary (default: ./glossary.yaml when present)')
    .action(async (source: string, translated: string, options: QaOptions) => {
      process.exitCode = await runQa(source, translated, options);
    });
}

export async function runQa(sourceFile: string, translatedFile: string, options: QaOptions): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const { existsSync } = await import('node:fs');
  const { parseRelease, splitTranslationName } = await import('../../functions/core/parse/index');
  const { InputError } = await import('../../functions/core/errors');
  const { contentOf } = await import('../../functions/core/release');
  const { normalizeLanguageTag, wireLanguage } = await import('../../functions/core/languages');
  const [{ EMPTY_GLOSSARY, mergeGlossary }, { parseGlossary }] = await Promise.all([import('../../functions/core/translation/glossary'), import('../../functions/core/translation/glossary-yaml')]);
  const { checkTranslation } = await import('../../functions/core/qa');

  const read = async (file: string): Promise<Uint8Array> => {
    try {
      return await readFile(file);
    } catch (cause) {
      const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
      throw new InputError('FILE_NOT_READABLE', `cannot read the file: ${reason}`, { file }, 'check the path', { cause });
    }
  };
  const source = await parseRelease({ name: sourceFile, bytes: await read(sourceFile) });
  const translation = await parseRelease({ name: translatedFile, bytes: await read(translatedFile) });
  const fromName = splitTranslationName(translatedFile.split(/[\\/]/).at(-1) ?? translatedFile)?.language;
  const rawLanguage = options.language ?? fromName ?? translation.language;
  let language: string;
  try {
    language = normalizeLanguageTag(rawLanguage);
  } catch {
    language = rawLanguage;
  }
  if (!wireLanguage(language)) {
    throw new InputError(
      'UNSUPPORTED_LANGUAGE',
      `the translation's language ${JSON.stringify(rawLanguage)} is not one of the wire's languages`,
      { file: translatedFile, field: 'language' },
      'name the file like release.de.md or pass --language de',
    );
  }
  if (language === normalizeLanguageTag(source.language)) {
    throw new InputError('SAME_LANGUAGE', `the translation is in ${language}, the language of the source`, { file: translatedFile, field: 'language' }, 'pass the translated file second, or --language with its language');
  }
  const glossaryFile = options.glossary ?? (existsSync('glossary.yaml') ? 'glossary.yaml' : undefined);
  const project = glossaryFile ? parseGlossary(new TextDecoder().decode(await read(glossaryFile)), glossaryFile) : EMPTY_GLOSSARY;
  const automatic = [source.sourceTag?.wire, source.sourceTag?.raw.trim()].filter((t): t is string => !!t);
  const glossary = mergeGlossary(project, [...(source.glossary ?? []), ...automatic]);

  const report = await checkTranslation({
    source: contentOf(source),
    sourceLanguage: source.language,
    translation: contentOf(translation),
    language,
    provenance: 'human',
    doNotTranslate: glossary.doNotTranslate,
    forcedTerms: glossary.forcedTerms[language] ?? {},
  });
  console.log(options.json ? JSON.stringify(jsonOf(report), null, 2) : formatQaReport(report));
  return report.counts.errors > 0 ? 1 : 0;
}

function jsonOf(report: QaReport): Record<string, unknown> {
  return { language: report.language, sourceLanguage: report.sourceLanguage, findings: report.findings, notApplicable: report.notApplicable, counts: report.counts };
}

/** Findings for the terminal: one headed entry per finding with both texts. */
export function formatQaReport(report: QaReport): string {
  const { errors, warnings } = report.counts;
  const lines = [`${report.sourceLanguage} → ${report.language}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`];
  const clip = (text: string): string => (text.length > 160 ? `${text.slice(0, 159)}…` : text).replace(/\s+/g, ' ');
  for (const finding of report.findings) {
    const where = `${finding.location.block}${finding.location.segment === undefined ? '' : `, sentence ${finding.location.segment}`}`;
    lines.push('', `${finding.severity.toUpperCase().padEnd(8)}${finding.check.padEnd(13)}${where}`, `  ${finding.message}`);
    if (finding.source) lines.push(`  source:      ${clip(finding.source)}`);
    lines.push(`  translation: ${clip(finding.translation) || '(missing)'}`);
  }
  for (const n of report.notApplicable) lines.push('', `not applicable: ${n.check} (${n.reason})`);
  return lines.join('\n');
}
