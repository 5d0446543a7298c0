import { describe, expect, it } from 'vitest';
import { publishMessage, PublishJobSchema, ROOT_GROUP } from '../../../../functions/core/pipeline/jobs';
import { objectKeys } from '../../../../functions/core/pipeline/keys';

describe('publishMessage', () => {
  it('groups language jobs by language and deduplicates per release, version, language and provenance', () => {
    const job = { kind: 'variant', releaseId: 'acme', version: 2, language: 'zh-Hant' } as const;
    expect(publishMessage(job, 'machine')).toEqual({ body: job, groupId: 'zh-Hant', deduplicationId: 'acme.2.zh-Hant.machine' });
    expect(publishMessage(job, 'human').deduplicationId).not.toBe(publishMessage(job, 'machine').deduplicationId);
    expect(publishMessage({ ...job, kind: 'failed' }).deduplicationId).toBe('acme.2.zh-Hant.failed');
  });

  it('sends root rebuilds to their own group', () => {
    const message = publishMessage({ kind: 'rebuild-root', requestedAt: '2026-11-26T09:00:00.000Z' }, 'n1');
    expect(message.groupId).toBe(ROOT_GROUP);
    expect(message.deduplicationId).toMatch(/^root\.[0-9A-Za-z.]+$/);
  });

  it('validates job bodies', () => {
    expect(() => PublishJobSchema.parse({ kind: 'variant', releaseId: 'Bad Id', version: 1, language: 'de' })).toThrow();
  });
});

describe('objectKeys', () => {
  it('never writes under incoming/ (the trigger prefix)', () => {
    const keys = [
      objectKeys.release('a', 1),
      objectKeys.translation('a', 'fr'),
      objectKeys.variant('a', 1, 'fr'),
      objectKeys.glossary(),
      objectKeys.quarantine('incoming/x y.txt').copy,
      objectKeys.quarantine('incoming/x y.txt').error,
    ];
    for (const key of keys) expect(key.startsWith('incoming/')).toBe(false);
    expect(objectKeys.quarantine('incoming/2026/x y.txt')).toEqual({
      copy: 'quarantine/2026/x y.txt',
      error: 'quarantine/2026/x y.txt.error.json',
    });
  });
});
