import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../functions/core/errors';
import { approveHeld, formatReview, replacementKey, reviewState } from '../../../../functions/core/pipeline/review';
import type { JobQueue, QueueMessage, ReleaseMeta, ReleaseRepository, VariantRecord } from '../../../../functions/ports';

const RELEASE: ReleaseMeta = {
  releaseId: 'graz',
  latestVersion: 2,
  latestSha256: 'x',
  sourceLanguage: 'en',
  headline: 'Acme opens a plant in Graz',
  createdAt: '2026-11-26T09:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  sourceKey: 'incoming/acme/graz.txt',
};

const variant = (language: string, status: VariantRecord['status'], extra: Partial<VariantRecord> = {}): VariantRecord => ({
  releaseId: 'graz',
  version: 2,
  language,
  status,
  updatedAt: '2026-11-26T10:00:00.000Z',
  contentHash: 'abcdef0123456789',
  ...extra,
});

/** Test double: the two reads review needs, over a fixed set of records (other methods are not called). */
function fakeRepository(variants: VariantRecord[]): ReleaseRepository {
  return {
    getRelease: async (id: string) => (id === RELEASE.releaseId ? RELEASE : undefined),
    getVariant: async (id: string, version: number, language: string) => variants.find((v) => v.releaseId === id && v.version === version && v.language === language),
    listVariants: async (id: string, version: number) => variants.filter((v) => v.releaseId === id && v.version === version),
  } as unknown as ReleaseRepository;
}

class CollectingQueue implements JobQueue {
  readonly sent: QueueMessage[] = [];
  async send(messages: readonly QueueMessage[]): Promise<void> {
    this.sent.push(...messages);
  }
}

const HELD = variant('de', 'held', {
  review: { heldAt: '2026-11-26T10:00:00.000Z', checks: ['figures'], contentHash: 'abcdef0123456789' },
  qa: { errors: 1, warnings: 0, notApplicable: [], findings: [{ check: 'figures', severity: 'error', block: 'body[2]', message: 'the figure “4,250” became “4.520”' }] },
});

describe('review: approve a held language', () => {
  it('queues an approve job for the latest version naming the held content, in the release × language group', async () => {
    const queue = new CollectingQueue();
    const result = await approveHeld({ repository: fakeRepository([HELD]), publishQueue: queue }, 'graz', 'de', 'desk');
    expect(result.queued).toBe(true);
    expect(queue.sent).toEqual([
      {
        body: { kind: 'approve', releaseId: 'graz', version: 2, language: 'de', contentHash: 'abcdef0123456789', approvedBy: 'desk' },
        groupId: 'de.graz',
        deduplicationId: 'graz.2.de.approve.abcdef0123456789',
      },
    ]);
  });

  it('is idempotent: a published or already approved language queues nothing', async () => {
    const queue = new CollectingQueue();
    const repository = fakeRepository([variant('de', 'published'), variant('fr', 'translated', { review: { ...HELD.review!, approvedAt: '2026-11-26T11:00:00.000Z' } })]);
    expect(await approveHeld({ repository, publishQueue: queue }, 'graz', 'de')).toEqual({ queued: false, message: 'graz v2 de is already published' });
    expect((await approveHeld({ repository, publishQueue: queue }, 'graz', 'fr')).message).toContain('approved');
    expect(queue.sent).toEqual([]);
  });

  it.each([
    ['an unknown release', 'nope', 'de', [HELD], 'RELEASE_UNKNOWN'],
    ['a language not planned', 'graz', 'es', [HELD], 'LANGUAGE_NOT_PLANNED'],
    ['a language still pending', 'graz', 'de', [variant('de', 'pending')], 'NOTHING_TO_APPROVE'],
    ['a failed language', 'graz', 'de', [variant('de', 'failed')], 'NOTHING_TO_APPROVE'],
  ] as const)('refuses %s as bad input', async (_what, id, language, variants, code) => {
    const queue = new CollectingQueue();
    const error = await approveHeld({ repository: fakeRepository([...variants]), publishQueue: queue }, id, language).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe(code);
    expect(queue.sent).toEqual([]);
  });
});

describe('review: listing', () => {
  it('puts held languages first and says how to approve or replace them', async () => {
    const state = await reviewState(fakeRepository([variant('en', 'published'), variant('fr', 'published'), HELD]), 'graz');
    expect(state.languages.map((v) => v.language)).toEqual(['de', 'en', 'fr']);
    const text = formatReview(state);
    expect(text).toContain('held for QA review: de');
    expect(text).toContain('held since 2026-11-26T10:00:00.000Z by figures');
    expect(text).toContain('polywire review graz de --approve');
    expect(text).toContain('polywire review graz de --replace <corrected file>');
    expect(text).toContain('error figures body[2]: the figure “4,250” became “4.520”');
  });
});

describe('review: the key of a corrected translation', () => {
  it('sits next to the release’s upload, in its folder, with the language before the extension', () => {
    expect(replacementKey(RELEASE, 'de', 'fixed.txt')).toBe('incoming/acme/graz.de.txt');
    expect(replacementKey(RELEASE, 'zh-Hant', 'Korrektur.TXT')).toBe('incoming/acme/graz.zh-Hant.txt');
  });

  it('takes another format when the name still gives the release’s id', () => {
    expect(replacementKey({ ...RELEASE, sourceKey: 'incoming/graz.txt' }, 'de', 'fixed.docx')).toBe('incoming/graz.de.docx');
  });

  it('refuses a file without an extension', () => {
    expect(() => replacementKey(RELEASE, 'de', 'fixed')).toThrow(/has no extension/);
  });
});
