import { describe, expect, it } from 'vitest';
import { holdOf, liftDelaySeconds, publicationState, publicationTime, publicationTimeAt, type LifecycleRecord } from '../../../../functions/core/lifecycle';
import type { LifecycleStore } from '../../../../functions/ports';
import { lifecycleJob, type LifecycleStageDeps } from '../../../../functions/core/pipeline/lifecycle';
import { scheduleExpressionOf, scheduleNameOf } from '../../../../functions/adapters/scheduler/lift-scheduler';
import type { JobQueue, QueueMessage, ReleaseRepository } from '../../../../functions/ports';

const NOW = new Date('2026-11-26T09:00:00Z');
const embargo = (until: string) => ({ embargo: { until, raw: `EMBARGOED UNTIL ${until}` } });

describe('holdOf', () => {
  it('holds until a future embargo or publishAt, the later one winning, and not for past instants', () => {
    expect(holdOf(embargo('2026-11-26T10:00:00+01:00'), NOW)).toBeUndefined();
    expect(holdOf(embargo('2026-11-26T12:00:00+01:00'), NOW)).toEqual({ kind: 'embargo', until: '2026-11-26T11:00:00.000Z' });
    expect(holdOf({ publishAt: '2026-11-27T00:00:00Z' }, NOW)).toEqual({ kind: 'schedule', until: '2026-11-27T00:00:00.000Z' });
    expect(holdOf({ ...embargo('2026-11-26T12:00:00Z'), publishAt: '2026-11-26T13:00:00Z' }, NOW)?.kind).toBe('schedule');
    expect(holdOf({ ...embargo('2026-11-26T13:00:00Z'), publishAt: '2026-11-26T13:00:00Z' }, NOW)?.kind).toBe('embargo');
    expect(holdOf({}, NOW)).toBeUndefined();
  });
});

describe('publicationState', () => {
  const record = (patch: Partial<LifecycleRecord>): LifecycleRecord => ({ releaseId: 'a', state: 'held', updatedAt: NOW.toISOString(), ...patch });
  it('is canceled once withdrawn, withheld while held (even past the instant), usable after the lift', () => {
    const hold = { kind: 'embargo' as const, until: '2026-11-26T08:00:00.000Z' };
    expect(publicationState({}, record({ state: 'withdrawn', withdrawnAt: 'x', withdrawnReason: 'r' }), NOW)).toEqual({ pubStatus: 'canceled', withdrawnAt: 'x', reason: 'r' });
    expect(publicationState({}, record({ hold }), NOW)).toEqual({ pubStatus: 'withheld', hold });
    expect(publicationState({}, record({ state: 'public', liftedAt: 'l' }), NOW)).toEqual({ pubStatus: 'usable', since: 'l' });
  });
  it('fails closed without a record: a future embargo is withheld', () => {
    expect(publicationState(embargo('2026-11-27T00:00:00Z'), undefined, NOW).pubStatus).toBe('withheld');
    expect(publicationState(embargo('2026-11-25T00:00:00Z'), undefined, NOW).pubStatus).toBe('usable');
  });
});

describe('publicationTime (the date rule)', () => {
  const lifted: LifecycleRecord = { releaseId: 'a', state: 'public', liftedAt: '2026-11-26T12:00:00.000Z', updatedAt: 'x' };
  it('is the lift for a language ready at the lift, else the moment the language went public', () => {
    expect(publicationTime(lifted, '2026-11-26T10:00:00Z', '2026-11-26T12:00:02Z')).toBe('2026-11-26T12:00:00.000Z');
    expect(publicationTime(lifted, '2026-11-26T12:05:00Z', '2026-11-26T12:05:01Z')).toBe('2026-11-26T12:05:01Z');
    expect(publicationTime(undefined, '2026-11-26T10:00:00Z', '2026-11-26T10:00:01Z')).toBe('2026-11-26T10:00:01Z');
  });
});

describe('publicationTimeAt (the date rule outside the pipeline: polywire render)', () => {
  it("is the moment the release is made public, or the instant of a hold still ahead of it; never the issuer's date", () => {
    const at = '2026-11-26T09:00:00Z';
    expect(publicationTimeAt({}, at)).toBe('2026-11-26T09:00:00.000Z');
    expect(publicationTimeAt(embargo('2026-11-26T12:00:00+01:00'), at)).toBe('2026-11-26T11:00:00.000Z');
    // An embargo already over when the release is made public does not move the time back.
    expect(publicationTimeAt(embargo('2026-11-25T12:00:00Z'), at)).toBe('2026-11-26T09:00:00.000Z');
    expect(publicationTimeAt({ publishAt: '2026-11-27T00:00:00Z' }, at)).toBe('2026-11-27T00:00:00.000Z');
  });
});

describe('lift scheduling', () => {
  it('delays by whole seconds to arrive two to three seconds early (the stage waits the rest), at most SQS’s 900', () => {
    expect(liftDelaySeconds('2026-11-26T09:00:10.200Z', NOW)).toBe(8);
    expect(liftDelaySeconds('2026-11-26T09:00:01.500Z', NOW)).toBe(0);
    expect(liftDelaySeconds('2026-11-27T09:00:00Z', NOW)).toBe(900);
    expect(liftDelaySeconds('2026-11-26T08:00:00Z', NOW)).toBe(0);
  });
  it('fires the EventBridge schedule two minutes early, named after the release within 64 characters', () => {
    expect(scheduleExpressionOf('2027-01-15T09:00:00Z')).toBe('at(2027-01-15T08:58:00)');
    expect(scheduleNameOf('acme')).toBe('lift-acme');
    expect(scheduleNameOf('a'.repeat(128))).toMatch(/^lift-[0-9a-f]{40}$/);
  });
});

describe('lifecycle stage (fakes)', () => {
  class Queue implements JobQueue {
    sent: QueueMessage[] = [];
    async send(messages: readonly QueueMessage[]) {
      this.sent.push(...messages);
    }
  }
  function deps(records: Record<string, LifecycleRecord>, known = true) {
    const queues = { lifecycle: new Queue(), publish: new Queue(), translate: new Queue() };
    const store: LifecycleStore = {
      get: async (id) => records[id],
      hold: async () => {
        throw new Error('not used');
      },
      lift: async (id, now, expected) => {
        const r = records[id];
        if (r?.state !== 'held' || (expected !== undefined && r.hold?.until !== new Date(expected).toISOString())) return false;
        records[id] = { ...r, state: 'public', liftedAt: now.toISOString() };
        return true;
      },
      withdraw: async (id, reason, now) => {
        if (records[id]?.state === 'withdrawn') return false;
        records[id] = { releaseId: id, state: 'withdrawn', withdrawnAt: now.toISOString(), withdrawnReason: reason, updatedAt: now.toISOString() };
        return true;
      },
    };
    const repository = {
      getRelease: async () => (known ? { latestVersion: 2 } : undefined),
      listVariants: async () => [
        { language: 'en', status: 'translated' },
        { language: 'de', status: 'pending' },
      ],
      listVersions: async () => [{ languages: ['en', 'de'] }],
      getVersion: async () => ({ languages: ['en', 'de'] }),
      getPublication: async (_id: string, language: string) => (language === 'en' ? { version: 1 } : undefined),
    } as unknown as ReleaseRepository;
    const d: LifecycleStageDeps = {
      repository,
      lifecycle: store,
      lifecycleQueue: queues.lifecycle,
      publishQueue: queues.publish,
      translateQueue: queues.translate,
      translateAhead: false,
      clock: { now: () => NOW },
    };
    return { d, queues };
  }
  const held = (until: string): LifecycleRecord => ({ releaseId: 'a', state: 'held', hold: { kind: 'embargo', until }, updatedAt: 'x' });

  it('delays a lift that arrives early instead of lifting', async () => {
    const { d, queues } = deps({ a: held('2026-11-26T09:01:00.000Z') });
    expect(await lifecycleJob(d, { kind: 'lift', releaseId: 'a', until: '2026-11-26T09:01:00.000Z' })).toEqual({ kind: 'not-due', releaseId: 'a', delaySeconds: 58 });
    expect(queues.lifecycle.sent[0]?.delaySeconds).toBe(58);
    expect(queues.publish.sent).toEqual([]);
  });
  it('waits for the instant with a timer when the lift arrives seconds early, then lifts at it', async () => {
    const until = '2026-11-26T09:00:02.500Z';
    const records = { a: held(until) };
    const { d, queues } = deps(records);
    let now = NOW.getTime();
    const waits: number[] = [];
    d.clock = { now: () => new Date(now) };
    d.wait = async (ms) => {
      waits.push(ms);
      // A timer may fire a little early: the stage must wait again rather than lift before the instant.
      now += ms - (waits.length === 1 ? 5 : 0);
    };
    expect(await lifecycleJob(d, { kind: 'lift', releaseId: 'a', until })).toMatchObject({ kind: 'lifted', publishJobs: 1 });
    expect(waits).toEqual([2500, 5]);
    expect(records.a).toMatchObject({ state: 'public', liftedAt: until });
    expect(queues.lifecycle.sent).toEqual([]);
  });
  it('ignores a lift for an old hold time (rescheduled)', async () => {
    const { d, queues } = deps({ a: held('2026-11-26T10:00:00.000Z') });
    expect((await lifecycleJob(d, { kind: 'lift', releaseId: 'a', until: '2026-11-26T08:00:00.000Z' })).kind).toBe('skipped');
    expect(queues.publish.sent).toEqual([]);
  });
  it('lifts: publish jobs for ready languages, translate jobs for the rest when translating at the lift', async () => {
    const { d, queues } = deps({ a: held('2026-11-26T08:59:00.000Z') });
    expect(await lifecycleJob(d, { kind: 'lift', releaseId: 'a', until: '2026-11-26T08:59:00.000Z' })).toMatchObject({ kind: 'lifted', publishJobs: 1, translateJobs: 1 });
    // One job for all ready languages: they are published together, with one feed and root render.
    expect(queues.publish.sent.map((m) => m.body)).toEqual([{ kind: 'lift', releaseId: 'a', version: 2, languages: ['en'] }]);
    expect(queues.translate.sent.map((m) => m.body)).toEqual([{ releaseId: 'a', version: 2, language: 'de' }]);
  });
  it('sends the translate jobs of a bulk release to the bulk lane its version records', async () => {
    const { d, queues } = deps({ a: held('2026-11-26T08:59:00.000Z') });
    const bulk = new Queue();
    d.bulkTranslateQueue = bulk;
    d.repository.getVersion = async () => ({ releaseId: 'a', version: 2, sha256: 'x', sourceKey: 'incoming/a.txt', sourceLanguage: 'en', languages: ['en', 'de'], lane: 'bulk', createdAt: 'x' });
    expect(await lifecycleJob(d, { kind: 'lift', releaseId: 'a', until: '2026-11-26T08:59:00.000Z' })).toMatchObject({ kind: 'lifted', translateJobs: 1 });
    expect(bulk.sent.map((m) => m.body)).toEqual([{ releaseId: 'a', version: 2, language: 'de' }]);
    expect(queues.translate.sent).toEqual([]);
  });
  it('withdraws the languages that were public, says so on a repeat, and refuses an unknown id', async () => {
    const { d, queues } = deps({});
    expect(await lifecycleJob(d, { kind: 'withdraw', releaseId: 'a', reason: 'r' })).toEqual({ kind: 'withdrawn', releaseId: 'a', languages: ['en'], already: false });
    expect(await lifecycleJob(d, { kind: 'withdraw', releaseId: 'a', reason: 'r' })).toMatchObject({ already: true });
    expect(queues.publish.sent.map((m) => m.body)).toEqual([
      { kind: 'withdraw', releaseId: 'a', version: 2, language: 'en' },
      { kind: 'withdraw', releaseId: 'a', version: 2, language: 'en' },
    ]);
    // A lift after the withdrawal does nothing.
    expect((await lifecycleJob(d, { kind: 'lift', releaseId: 'a' })).kind).toBe('skipped');
    await expect(lifecycleJob(deps({}, false).d, { kind: 'withdraw', releaseId: 'b', reason: 'r' })).rejects.toMatchObject({ code: 'RELEASE_UNKNOWN' });
  });
});
