import { describe, expect, it } from 'vitest';
import { SOURCE_LEASE_MS } from '../../../../functions/core/pipeline/ingest';
import { formatSourceList, uploadsNeedingAttention } from '../../../../functions/core/pipeline/status';
import type { SourceRecord } from '../../../../functions/ports';

const now = new Date('2026-11-26T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const processing = (key: string, claimedMsAgo: number): SourceRecord => ({
  key,
  sequencer: '0065A1B2C3D4E5F601',
  status: 'processing',
  claimedAt: ago(claimedMsAgo),
  updatedAt: ago(claimedMsAgo),
});

describe('uploadsNeedingAttention', () => {
  it('lists an upload still processing after the ingest lease as stuck, and leaves one being processed now alone', () => {
    const rejected: SourceRecord = {
      key: 'incoming/broken.txt',
      sequencer: '0065A1B2C3D4E5F602',
      status: 'rejected',
      updatedAt: ago(5_000),
      error: { code: 'NO_HEADLINE', message: 'incoming/broken.txt: no headline found' },
    };
    const listed = uploadsNeedingAttention([processing('incoming/now.txt', 10_000), rejected, processing('incoming/stuck.txt', SOURCE_LEASE_MS + 60_000)], now);

    expect(listed.map((s) => [s.key, s.status])).toEqual([
      ['incoming/broken.txt', 'rejected'],
      ['incoming/stuck.txt', 'processing'],
    ]);
    expect(listed[1]!.error).toMatchObject({ code: 'STUCK_IN_PROCESSING' });
    expect(formatSourceList(listed)).toMatch(
      /processing\s+incoming\/stuck\.txt\n\s+STUCK_IN_PROCESSING: incoming\/stuck\.txt: still processing 180 s after it was claimed, longer than the ingest stage may take \(120 s\)/,
    );
  });

  it('takes the stage timeout it is given', () => {
    expect(uploadsNeedingAttention([processing('incoming/slow.txt', 61_000)], now, 60_000)).toHaveLength(1);
    expect(uploadsNeedingAttention([processing('incoming/slow.txt', 59_000)], now, 60_000)).toHaveLength(0);
  });
});
