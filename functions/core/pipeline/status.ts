/**
 * What `polywire status` shows: a release's versions with the state of every language (engine,
 * characters billed and remembered, estimated cost, errors), or the latest releases. Read-only,
 * through the ReleaseRepository port.
 */
import { deriveReleaseId } from '../parse';
import type { ReleaseMeta, ReleaseRepository, SourceRecord, VariantRecord } from '../../ports';
import { SOURCE_LEASE_MS } from './ingest';
import { INCOMING_PREFIX } from './s3-events';

export interface VersionStatus {
  version: number;
  createdAt: string;
  sourceKey: string;
  sha256: string;
  languages: VariantRecord[];
  totals: { billedCharacters: number; memoryCharacters: number; estimatedCostUsd: number };
  counts: Record<VariantRecord['status'], number>;
}

export interface ReleaseStatus {
  release: ReleaseMeta;
  versions: VersionStatus[];
  /** Languages whose published page shows which version. */
  published: Record<string, number>;
}

/** The full state of one release; undefined when the id is unknown. */
export async function releaseStatus(repository: ReleaseRepository, releaseId: string): Promise<ReleaseStatus | undefined> {
  const release = await repository.getRelease(releaseId);
  if (!release) return undefined;
  const versions: VersionStatus[] = [];
  const published: Record<string, number> = {};
  for (const record of await repository.listVersions(releaseId)) {
    const variants = await repository.listVariants(releaseId, record.version);
    const order = new Map(record.languages.map((language, index) => [language, index]));
    variants.sort((a, b) => (order.get(a.language) ?? 99) - (order.get(b.language) ?? 99));
    const counts = { pending: 0, translated: 0, held: 0, published: 0, failed: 0, superseded: 0 };
    const totals = { billedCharacters: 0, memoryCharacters: 0, estimatedCostUsd: 0 };
    for (const variant of variants) {
      counts[variant.status]++;
      totals.billedCharacters += variant.ledger?.billedCharacters ?? 0;
      totals.memoryCharacters += variant.ledger?.memoryCharacters ?? 0;
      totals.estimatedCostUsd += variant.ledger?.estimatedCostUsd ?? 0;
    }
    totals.estimatedCostUsd = Math.round(totals.estimatedCostUsd * 1_000_000) / 1_000_000;
    versions.push({
      version: record.version,
      createdAt: record.createdAt,
      sourceKey: record.sourceKey,
      sha256: record.sha256,
      languages: variants,
      totals,
      counts,
    });
  }
  for (const language of new Set(versions.flatMap((v) => v.languages.map((l) => l.language)))) {
    const publication = await repository.getPublication(releaseId, language);
    if (publication) published[language] = publication.version;
  }
  return { release, versions, published };
}

/** Plain-text rendering of {@link releaseStatus} for the terminal. */
export function formatReleaseStatus(status: ReleaseStatus): string {
  const lines = [
    `${status.release.releaseId} — ${status.release.headline}`,
    `source language ${status.release.sourceLanguage}, latest version ${status.release.latestVersion}, created ${status.release.createdAt}, updated ${status.release.updatedAt}`,
  ];
  for (const version of status.versions) {
    const c = version.counts;
    lines.push(
      '',
      `version ${version.version} (${version.createdAt}, from ${version.sourceKey}): ${c.published} published, ${c.translated} translated, ${c.pending} pending, ${c.failed} failed, ${c.superseded} superseded${c.held ? `, ${c.held} held for QA review` : ''}`,
      `  billed ${version.totals.billedCharacters} characters, ${version.totals.memoryCharacters} from memory, estimated USD ${version.totals.estimatedCostUsd.toFixed(4)}`,
    );
    for (const variant of version.languages) {
      const provenance = variant.provenance ? `${variant.provenance.kind}/${variant.provenance.engine}` : '-';
      const ledger = variant.ledger ? `billed ${variant.ledger.billedCharacters}, memory ${variant.ledger.memoryCharacters}, USD ${variant.ledger.estimatedCostUsd.toFixed(4)}` : '';
      const error = variant.error ? `  ${variant.error.code}: ${variant.error.message}` : '';
      lines.push(`  ${variant.language.padEnd(8)}${variant.status.padEnd(11)}${provenance.padEnd(26)}${ledger}${error}`);
      if (variant.status === 'held' && variant.review) {
        lines.push(`          held for review by ${variant.review.checks.join(', ')} since ${variant.review.heldAt}: \`polywire review ${variant.releaseId} ${variant.language} --approve\` publishes it`);
      } else if (variant.review?.approvedAt) {
        lines.push(`          approved after QA hold (${variant.review.checks.join(', ')}) at ${variant.review.approvedAt}${variant.review.approvedBy ? ` by ${variant.review.approvedBy}` : ''}`);
      }
      if (variant.qa) lines.push(...formatVariantQa(variant.qa));
    }
  }
  return lines.join('\n');
}

/** One line per release, newest first. */
export function formatReleaseList(releases: readonly ReleaseMeta[]): string {
  if (releases.length === 0) return 'no releases yet: upload one into the uploads bucket under incoming/';
  return releases.map((r) => `${r.updatedAt}  ${r.releaseId.padEnd(40)} v${String(r.latestVersion).padEnd(3)} ${r.sourceLanguage.padEnd(8)} ${r.headline}`).join('\n');
}

/** How many of the latest uploads needing attention `status` looks through to find one by id. */
export const SOURCE_SEARCH_LIMIT = 200;

/**
 * A rejected or awaiting-base upload by its object key (`incoming/…`) or by the release id its
 * name gives (`polywire status broken-release`); undefined when there is none.
 */
export async function findSource(repository: ReleaseRepository, idOrKey: string): Promise<SourceRecord | undefined> {
  if (idOrKey.startsWith(INCOMING_PREFIX)) return repository.getSource(idOrKey);
  const recent = await repository.listSourcesNeedingAttention(SOURCE_SEARCH_LIMIT);
  return recent.find((source) => source.releaseId === idOrKey || safeReleaseId(source.key) === idOrKey);
}

function safeReleaseId(key: string): string | undefined {
  try {
    return deriveReleaseId(key);
  } catch {
    return undefined;
  }
}

/** One upload needing attention: its state, key, and what to do (the error's message and hint). */
export function formatSource(source: SourceRecord): string {
  const error = source.error as { code?: string; message?: string; hint?: string } | undefined;
  const lines = [`${source.updatedAt}  ${source.status.padEnd(14)} ${source.key}`];
  if (error?.message) lines.push(`    ${error.code ? `${error.code}: ` : ''}${error.message}`);
  // InputError messages end with their hint already; show it apart only when it is not there.
  if (error?.hint && !error.message?.includes(error.hint)) lines.push(`    how to fix: ${error.hint}`);
  return lines.join('\n');
}

/**
 * The uploads someone has to act on, from the repository's list (which also holds the uploads
 * being processed right now): rejected and awaiting-base ones, and those still `processing` after
 * `stuckAfterMs` (by default the ingest lease, which outlasts the ingest function's timeout): an
 * ingest that crashed or hangs, whose reason is in the ingest log. A stuck one gets an error
 * saying so, like a rejected one.
 */
export function uploadsNeedingAttention(sources: readonly SourceRecord[], now: Date, stuckAfterMs: number = SOURCE_LEASE_MS): SourceRecord[] {
  const needing: SourceRecord[] = [];
  for (const source of sources) {
    if (source.status !== 'processing') {
      needing.push(source);
      continue;
    }
    const claimedAt = Date.parse(source.claimedAt ?? source.updatedAt);
    const ageMs = now.getTime() - claimedAt;
    if (Number.isNaN(claimedAt) || ageMs <= stuckAfterMs) continue;
    needing.push({
      ...source,
      error: {
        code: 'STUCK_IN_PROCESSING',
        message: `${source.key}: still processing ${Math.round(ageMs / 1000)} s after it was claimed, longer than the ingest stage may take (${Math.round(stuckAfterMs / 1000)} s)`,
        hint: 'look in the ingest log (and the dead-letter queue) for its error; upload the file again to retry it',
      },
    });
  }
  return needing;
}

/** The uploads needing attention, newest first, under a heading; empty when there are none. */
export function formatSourceList(sources: readonly SourceRecord[]): string {
  if (sources.length === 0) return '';
  return ['uploads that need attention (rejected, stuck in processing, or a translation waiting for its release):', ...sources.map(formatSource)].join('\n');
}

/** QA lines under a language: the counts, then each stored finding. */
export function formatVariantQa(qa: NonNullable<VariantRecord['qa']>): string[] {
  const lines = [
    `          QA: ${qa.errors} error${qa.errors === 1 ? '' : 's'}, ${qa.warnings} warning${qa.warnings === 1 ? '' : 's'}${qa.notApplicable.length ? ` (not applicable: ${qa.notApplicable.join(', ')})` : ''}`,
  ];
  for (const f of qa.findings) {
    lines.push(`            ${f.severity} ${f.check} ${f.block}${f.segment === undefined ? '' : ` sentence ${f.segment}`}: ${f.message}`);
  }
  return lines;
}
