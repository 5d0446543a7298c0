/**
 * QA review of held languages (`polywire review`): what the policy held and why, an editor's
 * approval (a publish job through the publish queue, so it is retried and ordered like every
 * other step of the language), and the upload of a corrected human translation (an ordinary
 * `incoming/` upload: ingest, translate and QA run on it as on any human translation).
 */
import { InputError } from '../errors';
import { deriveReleaseId, splitTranslationName } from '../parse';
import type { JobQueue, ObjectStore, ReleaseMeta, ReleaseRepository, VariantRecord } from '../../ports';
import { publishMessage } from './jobs';
import { INCOMING_PREFIX } from './s3-events';
import { formatVariantQa } from './status';

export interface ReviewState {
  release: ReleaseMeta;
  /** The latest version (only its languages can still be published). */
  version: number;
  /** Its variants (one language when asked for one), held first. */
  languages: VariantRecord[];
}

async function latest(repository: ReleaseRepository, releaseId: string): Promise<ReleaseMeta> {
  const release = await repository.getRelease(releaseId);
  if (!release) {
    throw new InputError('RELEASE_UNKNOWN', `no release ${JSON.stringify(releaseId)}`, { field: 'release' }, 'run `polywire status` to list the releases');
  }
  return release;
}

async function variantOf(repository: ReleaseRepository, release: ReleaseMeta, language: string): Promise<VariantRecord> {
  const record = await repository.getVariant(release.releaseId, release.latestVersion, language);
  if (!record) {
    throw new InputError(
      'LANGUAGE_NOT_PLANNED',
      `release ${release.releaseId} v${release.latestVersion} has no ${JSON.stringify(language)} variant`,
      { field: 'language' },
      `run \`polywire review ${release.releaseId}\` to see its languages`,
    );
  }
  return record;
}

/** The latest version's languages (or one), held ones first. */
export async function reviewState(repository: ReleaseRepository, releaseId: string, language?: string): Promise<ReviewState> {
  const release = await latest(repository, releaseId);
  const languages = language
    ? [await variantOf(repository, release, language)]
    : (await repository.listVariants(releaseId, release.latestVersion)).sort((a, b) => Number(b.status === 'held') - Number(a.status === 'held') || a.language.localeCompare(b.language));
  return { release, version: release.latestVersion, languages };
}

/** Terminal text: per language its state, why it is held, what to do, and the QA findings. */
export function formatReview(state: ReviewState): string {
  const held = state.languages.filter((v) => v.status === 'held');
  const lines = [`${state.release.releaseId} v${state.version} — ${state.release.headline}`, held.length ? `held for QA review: ${held.map((v) => v.language).join(', ')}` : 'no language is held for QA review'];
  for (const variant of state.languages) {
    lines.push('', `${variant.language}: ${variant.status}${variant.provenance ? ` (${variant.provenance.kind}/${variant.provenance.engine})` : ''}`);
    if (variant.status === 'held' && variant.review) {
      lines.push(
        `  held since ${variant.review.heldAt} by ${variant.review.checks.join(', ')}`,
        `  publish as is:   polywire review ${state.release.releaseId} ${variant.language} --approve`,
        `  or correct it:   polywire review ${state.release.releaseId} ${variant.language} --replace <corrected file>`,
      );
    } else if (variant.review?.approvedAt) {
      lines.push(`  approved at ${variant.review.approvedAt}${variant.review.approvedBy ? ` by ${variant.review.approvedBy}` : ''} after a hold by ${variant.review.checks.join(', ')}`);
    }
    if (variant.qa) lines.push(...formatVariantQa(variant.qa).map((line) => line.replace(/^ {10}/, '  ')));
  }
  return lines.join('\n');
}

export type ApproveResult = { queued: true; message: string } | { queued: false; message: string };

/**
 * Approves the held `language` of the latest version: queues its `approve` publish job, naming the
 * reviewed content. Safe to repeat: an approved or published language says so and queues nothing.
 *
 * @throws InputError for an unknown release or language, or a language with nothing to approve.
 */
export async function approveHeld(deps: { repository: ReleaseRepository; publishQueue: JobQueue }, releaseId: string, language: string, approvedBy?: string): Promise<ApproveResult> {
  const release = await latest(deps.repository, releaseId);
  const record = await variantOf(deps.repository, release, language);
  const where = `${releaseId} v${release.latestVersion} ${language}`;
  switch (record.status) {
    case 'held': {
      const contentHash = record.contentHash ?? record.review?.contentHash;
      if (!contentHash) throw new InputError('NOT_REVIEWABLE', `${where} is held but has no content hash to approve`, { field: 'language' });
      const job = {
        kind: 'approve' as const,
        releaseId,
        version: release.latestVersion,
        language,
        contentHash,
        ...(approvedBy ? { approvedBy } : {}),
      };
      await deps.publishQueue.send([publishMessage(job, contentHash)]);
      return { queued: true, message: `approval of ${where} queued: it publishes, and the other languages' pages are refreshed` };
    }
    case 'published':
      return { queued: false, message: `${where} is already published` };
    case 'translated':
      return { queued: false, message: `${where} is not held (${record.review?.approvedAt ? 'approved' : 'it passed QA'}): it is being published` };
    default:
      throw new InputError('NOTHING_TO_APPROVE', `${where} is ${record.status}: there is no held translation to approve`, { field: 'language' });
  }
}

/**
 * Uploads a corrected human translation of the latest version's `language` next to the release's
 * own upload (`incoming/<name>.<language>.<ext>`), which the pipeline treats as any human
 * translation: it replaces the held one, is checked by QA, and publishes if it passes.
 *
 * @returns the uploads-bucket key written.
 */
export async function uploadReplacement(deps: { repository: ReleaseRepository; uploads: ObjectStore }, releaseId: string, language: string, file: { name: string; bytes: Uint8Array }): Promise<string> {
  const release = await latest(deps.repository, releaseId);
  await variantOf(deps.repository, release, language);
  const key = replacementKey(release, language, file.name);
  await deps.uploads.put(key, file.bytes, { contentType: 'application/octet-stream' });
  return key;
}

/** `incoming/acme/q3.txt` + `de` + `fixed.md` → `incoming/acme/q3.de.md`, checked to name this release. */
export function replacementKey(release: ReleaseMeta, language: string, fileName: string): string {
  const source = release.sourceKey;
  if (!source?.startsWith(INCOMING_PREFIX)) {
    throw new InputError('NO_SOURCE_KEY', `release ${release.releaseId} does not record its upload key`, { field: 'release' }, `upload the translation yourself as incoming/<release file name>.${language}.<ext>`);
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1];
  if (!extension) throw new InputError('UNKNOWN_FORMAT', `${fileName} has no extension: name it .md, .txt, .html, .docx or .json`, { file: fileName });
  const slash = source.lastIndexOf('/');
  const base = source.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const key = `${source.slice(0, slash + 1)}${stem}.${language}.${extension.toLowerCase()}`;
  const split = splitTranslationName(key);
  if (!split || split.language !== language) {
    throw new InputError('UNKNOWN_LANGUAGE', `${JSON.stringify(language)} is not read as a language in ${key}`, { field: 'language' });
  }
  const sourceExtension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  // Ingest finds the release from the translation's name: by the base upload's key (same
  // extension), else by the id that name gives.
  if (sourceExtension !== extension.toLowerCase() && safeReleaseId(split.baseName) !== release.releaseId) {
    throw new InputError('EXTENSION_MISMATCH', `the release was uploaded as ${source}: give the corrected translation the same extension (.${sourceExtension}), not .${extension}`, { file: fileName });
  }
  return key;
}

function safeReleaseId(name: string): string | undefined {
  try {
    return deriveReleaseId(name);
  } catch {
    return undefined;
  }
}
