import { describe, expect, it } from 'vitest';
import { BULK_LANE_BLOCKS, BULK_LANE_CHARACTERS, publishMessage, PublishJobSchema, ROOT_GROUP, translateLaneOf, translateQueueOf, type PublishJob } from '../../../../functions/core/pipeline/jobs';
import { objectKeys } from '../../../../functions/core/pipeline/keys';

describe('publishMessage', () => {
  it('groups language jobs by release × language and deduplicates per release, version, language and provenance', () => {
    const job = { kind: 'variant', releaseId: 'acme', version: 2, language: 'zh-Hant' } as const;
    expect(publishMessage(job, 'machine')).toEqual({ body: job, groupId: 'zh-Hant.acme', deduplicationId: 'acme.2.zh-Hant.machine' });
    // A variant's jobs (and its later versions') share a group, so they stay in order.
    for (const kind of ['failed', 'rerender', 'withdraw'] as const) expect(publishMessage({ ...job, kind }).groupId).toBe('zh-Hant.acme');
    expect(publishMessage({ ...job, version: 3 }).groupId).toBe('zh-Hant.acme');
    expect(publishMessage(job, 'human').deduplicationId).not.toBe(publishMessage(job, 'machine').deduplicationId);
    expect(publishMessage({ ...job, kind: 'failed' }).deduplicationId).toBe('acme.2.zh-Hant.failed');
  });

  it('never groups two releases of one language together (no per-language cap); a long id is hashed within 128 characters', () => {
    const a = publishMessage({ kind: 'variant', releaseId: 'acme', version: 1, language: 'de' });
    const b = publishMessage({ kind: 'variant', releaseId: 'globex', version: 1, language: 'de' });
    expect(a.groupId).not.toBe(b.groupId);
    const long = 'x'.repeat(200);
    const group = publishMessage({ kind: 'variant', releaseId: long, version: 1, language: 'de' }).groupId!;
    expect(group.length).toBeLessThanOrEqual(128);
    expect(group).toMatch(/^de\.[0-9a-f]{32}$/);
    expect(publishMessage({ kind: 'variant', releaseId: `${long}y`, version: 1, language: 'de' }).groupId).not.toBe(group);
  });

  it('sends feed renders to the language’s feed group; a re-sent request is a duplicate, a later one is not', () => {
    const job: PublishJob = {
      kind: 'render-feed',
      language: 'de',
      categories: ['Technology'],
      entries: [{ releaseId: 'acme', publishedAt: '2026-11-26T09:00:00.000Z', categories: ['Technology'] }],
      requestedAt: '2026-11-26T09:00:01.000Z',
    };
    const message = publishMessage(job);
    expect(message.groupId).toBe('_feed.de');
    expect(message.deduplicationId).toMatch(/^feed\.de\.[0-9a-f]{40}$/);
    expect(publishMessage(job).deduplicationId).toBe(message.deduplicationId);
    expect(publishMessage({ ...job, requestedAt: '2026-11-26T09:00:02.000Z' }).deduplicationId).not.toBe(message.deduplicationId);
    expect(PublishJobSchema.parse(job)).toEqual(job);
  });

  it('sends root rebuilds to their own group', () => {
    const message = publishMessage({ kind: 'rebuild-root', requestedAt: '2026-11-26T09:00:00.000Z' }, 'n1');
    expect(message.groupId).toBe(ROOT_GROUP);
    expect(message.deduplicationId).toMatch(/^root\.[0-9A-Za-z.]+$/);
  });

  it('sends a lift in a group of its release, deduplicated per lift', () => {
    const job = { kind: 'lift' as const, releaseId: 'acme', version: 2, languages: ['en', 'de'] };
    expect(publishMessage(job, 'lift20261126090000000')).toEqual({ body: job, groupId: '_lift.acme', deduplicationId: 'acme.2.lift.lift20261126090000000' });
    const long = publishMessage({ ...job, releaseId: 'a'.repeat(128) }, 'lift1');
    expect(long.groupId!.length).toBeLessThanOrEqual(128);
    expect(long.deduplicationId!.length).toBeLessThanOrEqual(128);
    expect(() => PublishJobSchema.parse({ ...job, languages: [] })).toThrow();
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

describe('translateLaneOf', () => {
  const paragraph = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] });
  const release = (body: ReturnType<typeof paragraph>[], boilerplateText = 'Acme makes robots.') => ({
    headline: 'Acme opens a plant',
    body,
    categories: [],
    boilerplates: [{ kind: 'issuer' as const, title: 'About Acme', body: [paragraph(boilerplateText)] }],
  });

  it('keeps a press release in the standard lane and sends one over the character or block limit to the bulk lane', () => {
    expect(translateLaneOf(release([paragraph('Acme opened a plant today.')]))).toBe('standard');
    expect(translateLaneOf(release(Array.from({ length: 40 }, () => paragraph('x'.repeat(1_000)))))).toBe('standard');
    // Characters: the body alone, or the boilerplate tipping it over.
    expect(translateLaneOf(release([paragraph('x'.repeat(BULK_LANE_CHARACTERS + 1))]))).toBe('bulk');
    expect(translateLaneOf(release([paragraph('x'.repeat(BULK_LANE_CHARACTERS - 10))], 'y'.repeat(100)))).toBe('bulk');
    // Blocks: many short paragraphs are bulk work too (segments, memory look-ups, markup per block).
    expect(translateLaneOf(release(Array.from({ length: BULK_LANE_BLOCKS }, () => paragraph('A'))))).toBe('standard');
    expect(translateLaneOf(release(Array.from({ length: BULK_LANE_BLOCKS + 1 }, () => paragraph('A'))))).toBe('bulk');
  });

  it('picks the lane’s queue, and the standard one when the deployment has no bulk queue', () => {
    const standard = { send: async () => undefined };
    const bulk = { send: async () => undefined };
    expect(translateQueueOf({ translateQueue: standard, bulkTranslateQueue: bulk }, 'bulk')).toBe(bulk);
    expect(translateQueueOf({ translateQueue: standard, bulkTranslateQueue: bulk }, undefined)).toBe(standard);
    expect(translateQueueOf({ translateQueue: standard }, 'bulk')).toBe(standard);
  });
});
