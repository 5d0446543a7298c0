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

/**
 * The live grid, sized to the terminal: every line fits `width` columns (measured as the terminal
 * shows them: CJK characters take two, combining marks none), so no line wraps, and the whole
 * grid fits `height` lines. A frame taller or wider than the screen cannot be redrawn in place:
 * the terminal scrolls it and every redraw stacks below the last. Rejected and waiting uploads
 * are counted here and listed once, after the display.
 */
export function renderGrid(snapshot: PipelineSnapshot, width = 80, height = 24): string {
  const full: string[] = [];
  const compact: string[] = [];
  for (const release of snapshot.releases) {
    const done = release.languages.filter((l) => l.status === 'published').length;
    const count = `  ${done}/${release.languages.length}`;
    const headline = `${truncateToWidth(release.headline, Math.max(10, width - displayWidth(count)))}${count}`;
    compact.push(headline);
    full.push(
      headline,
      ...wrapCells(
        release.languages.map((l) => `${l.language} ${SYMBOLS[l.status]}`),
        width - 2,
      ).map((line) => `  ${line}`),
    );
  }
  const notes: string[] = [];
  if (snapshot.waiting.length > 0) notes.push(`${snapshot.waiting.length} upload(s) waiting for the ingest stage`);
  if (snapshot.rejected.length > 0) notes.push(`${snapshot.rejected.length} upload(s) rejected (listed below when the display ends)`);
  const room = Math.max(1, height - notes.length);
  let lines = full.length <= room ? full : compact;
  if (lines.length > room) lines = [...lines.slice(0, room - 1), `… and ${lines.length - room + 1} more`];
  return [...lines, ...notes].map((line) => truncateToWidth(line, width)).join('\n');
}

/** Language cells, as many to a line as fit. */
function wrapCells(cells: string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const cell of cells) {
    const next = line ? `${line}  ${cell}` : cell;
    if (line && displayWidth(next) > width) {
      lines.push(line);
      line = cell;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The final table: one row per release (and rejected upload), at most `width` columns wide
 * (the headline column takes what the figures leave; short headers below 120 columns).
 */
export function renderSummary(snapshot: PipelineSnapshot, options: { color?: boolean; width?: number } = {}): string {
  const width = options.width ?? 120;
  const narrow = width < 120;
  const head = narrow ? ['Release', 'Done', 'Failed', 'Billed', 'Memory', 'Cost', 'Time'] : ['Release', 'Published', 'Failed', 'Billed chars', 'From memory', 'Est. cost', 'Time'];
  const rows: { headline: string; cells: string[] }[] = [];
  for (const r of snapshot.releases) {
    const published = r.languages.filter((l) => l.status === 'published').length;
    const failed = r.languages.filter((l) => l.status === 'failed').length;
    const seconds = r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.createdAt)) / 1000 : undefined;
    rows.push({
      headline: r.headline,
      cells: [
        `${published}/${r.languages.length}`,
        String(failed),
        r.billedCharacters.toLocaleString('en-US'),
        r.memoryCharacters.toLocaleString('en-US'),
        `$${r.estimatedCostUsd.toFixed(4)}`,
        seconds === undefined || Number.isNaN(seconds) ? '—' : `${seconds.toFixed(1)} s`,
      ],
    });
  }
  for (const row of snapshot.rejected) rows.push({ headline: `${row.sourceKey} (rejected)`, cells: ['0/0', '—', '—', '—', '—', '—'] });
  // Each column: its widest cell plus one space either side, and a border before it; one more border at the end.
  const figures = head.slice(1).reduce((sum, title, i) => sum + Math.max(displayWidth(title), ...rows.map((r) => displayWidth(r.cells[i]!))) + 3, 0);
  const headlineWidth = Math.max(12, Math.min(48, width - figures - 4));
  const table = new Table({
    head,
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: options.color ? {} : { head: [], border: [] },
  });
  for (const row of rows) table.push([truncateToWidth(row.headline, headlineWidth, (code) => charWidth(code) || 1), ...row.cells]);
  return table.toString();
}

/** Columns a string takes in a terminal: East Asian wide characters two, combining marks and zero-width characters none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0)!);
  return width;
}

/**
 * Cuts `text` to at most `max` terminal columns, ending in `…` when cut. `measure` can count
 * differently: cli-table3 counts a combining mark as one column, so table cells are cut by its
 * count, or the table would come out wider than planned.
 */
export function truncateToWidth(text: string, max: number, measure: (code: number) => number = charWidth): string {
  let total = 0;
  for (const char of text) total += measure(char.codePointAt(0)!);
  if (total <= max) return text;
  let out = '';
  let width = 0;
  for (const char of text) {
    const w = measure(char.codePointAt(0)!);
    if (width + w > max - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}

function charWidth(code: number): number {
  if (code === 0x200b || code === 0x200c || code === 0x200d || code === 0xfeff) return 0;
  if (/\p{Mn}|\p{Me}/u.test(String.fromCodePoint(code))) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}
