/**
 * What `polywire start` shows while the pipeline runs: one row per release, one cell per
 * language, read from the pipeline's own DynamoDB items (the same state `polywire status`
 * reads), and the final summary table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import Table from 'cli-table3';
import { DynamoDbReleaseRepository } from '../../functions/adapters/dynamodb/release-repository';
import type { ReleaseRepository, SourceRecord, VariantStatus } from '../../functions/ports';

export interface ReleaseRow {
  releaseId: string;
  headline: string;
  version: number;
  sourceKey?: string;
  /** Planned languages, source first, with their state. */
  languages: { language: string; status: VariantStatus }[];
  billedCharacters: number;
  memoryCharacters: number;
  estimatedCostUsd: number;
  createdAt: string;
  /** Last variant publication (or failure) time. */
  finishedAt?: string;
}

export interface RejectedRow {
  sourceKey: string;
  message: string;
}

export interface PipelineSnapshot {
  releases: ReleaseRow[];
  rejected: RejectedRow[];
  /** Uploads not yet processed by the ingest stage. */
  waiting: string[];
}

export function releaseRepository(dynamoEndpointConfig: ConstructorParameters<typeof DynamoDBClient>[0], tableName: string): DynamoDbReleaseRepository {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(dynamoEndpointConfig ?? {}), { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoDbReleaseRepository({ client, tableName });
}

/**
 * Reads the state of the releases behind `sourceKeys` (uploads of this run) and of every release
 * updated since `since`.
 */
export async function snapshotPipeline(repository: ReleaseRepository, options: { sourceKeys: Iterable<string>; since: string }): Promise<PipelineSnapshot> {
  const releaseIds = new Map<string, string | undefined>();
  const rejected: RejectedRow[] = [];
  const waiting: string[] = [];
  for (const key of options.sourceKeys) {
    const source: SourceRecord | undefined = await repository.getSource(key);
    if (!source || source.status === 'processing') waiting.push(key);
    else if (source.status === 'rejected') rejected.push({ sourceKey: key, message: String(source.error?.message ?? 'rejected') });
    else if (source.releaseId) releaseIds.set(source.releaseId, key);
  }
  for (const meta of await repository.listReleases(100)) {
    if (meta.updatedAt >= options.since && !releaseIds.has(meta.releaseId)) releaseIds.set(meta.releaseId, undefined);
  }
  const releases: ReleaseRow[] = [];
  for (const [releaseId, sourceKey] of releaseIds) {
    const meta = await repository.getRelease(releaseId);
    if (!meta) continue;
    const version = await repository.getVersion(releaseId, meta.latestVersion);
    const variants = await repository.listVariants(releaseId, meta.latestVersion);
    const byLanguage = new Map(variants.map((v) => [v.language, v]));
    const planned = version?.languages ?? variants.map((v) => v.language);
    const row: ReleaseRow = {
      releaseId,
      headline: meta.headline,
      version: meta.latestVersion,
      sourceKey: sourceKey ?? version?.sourceKey,
      languages: planned.map((language) => ({ language, status: byLanguage.get(language)?.status ?? 'pending' })),
      billedCharacters: 0,
      memoryCharacters: 0,
      estimatedCostUsd: 0,
      createdAt: version?.createdAt ?? meta.updatedAt,
    };
    for (const variant of variants) {
      row.billedCharacters += variant.ledger?.billedCharacters ?? 0;
      row.memoryCharacters += variant.ledger?.memoryCharacters ?? 0;
      row.estimatedCostUsd += variant.ledger?.estimatedCostUsd ?? 0;
      if ((variant.status === 'published' || variant.status === 'failed') && (!row.finishedAt || variant.updatedAt > row.finishedAt)) {
        row.finishedAt = variant.publishedAt ?? variant.updatedAt;
      }
    }
    releases.push(row);
  }
  return { releases, rejected, waiting };
}

/** Whether every planned language of every release has reached a final state. */
export function isSettled(snapshot: PipelineSnapshot): boolean {
  return snapshot.waiting.length === 0 && snapshot.releases.every((r) => r.languages.every((l) => l.status === 'published' || l.status === 'failed' || l.status === 'superseded' || l.status === 'held'));
}

const SYMBOLS: Record<VariantStatus, string> = {
  pending: '·',
  translated: '◐',
  // Held for QA review: final until an editor approves or replaces it (`polywire review`).
  held: '⚑',
  published: '✔',
  failed: '✖',
  superseded: '−',
};

/** One text line per release: `headline  en ✔ de ◐ fr · …`, and one per rejected upload. */
export function renderGrid(snapshot: PipelineSnapshot, width = 100): string {
  const lines: string[] = [];
  for (const release of snapshot.releases) {
    const cells = release.languages.map((l) => `${l.language} ${SYMBOLS[l.status]}`).join('  ');
    const done = release.languages.filter((l) => l.status === 'published').length;
    lines.push(`${truncate(release.headline, Math.max(20, width - 12))}  ${done}/${release.languages.length}`, `  ${cells}`);
  }
  for (const key of snapshot.waiting) lines.push(`${key}: waiting for ingest`);
  for (const row of snapshot.rejected) lines.push(`${row.sourceKey}: rejected — ${truncate(row.message, width)}`);
  return lines.join('\n');
}

/** The final table: one row per release (and rejected upload). */
export function renderSummary(snapshot: PipelineSnapshot, options: { color?: boolean } = {}): string {
  const table = new Table({
    head: ['Release', 'Published', 'Failed', 'Billed chars', 'From memory', 'Est. cost', 'Time'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: options.color ? {} : { head: [], border: [] },
  });
  for (const r of snapshot.releases) {
    const published = r.languages.filter((l) => l.status === 'published').length;
    const failed = r.languages.filter((l) => l.status === 'failed').length;
    const seconds = r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.createdAt)) / 1000 : undefined;
    table.push([
      truncate(r.headline, 48),
      `${published}/${r.languages.length}`,
      String(failed),
      r.billedCharacters.toLocaleString('en-US'),
      r.memoryCharacters.toLocaleString('en-US'),
      `$${r.estimatedCostUsd.toFixed(4)}`,
      seconds === undefined || Number.isNaN(seconds) ? '—' : `${seconds.toFixed(1)} s`,
    ]);
  }
  for (const row of snapshot.rejected) table.push([truncate(`${row.sourceKey} (rejected)`, 48), '0/0', '—', '—', '—', '—', '—']);
  return table.toString();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
