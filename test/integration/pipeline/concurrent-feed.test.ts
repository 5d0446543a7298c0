import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

const COUNT = 50;

describe('pipeline: many releases into one language at once', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it(`keeps all ${COUNT} releases in the language feed when they are published concurrently`, async () => {
    const events: string[] = [];
    for (let i = 1; i <= COUNT; i++) {
      const n = String(i).padStart(2, '0');
      events.push(await harness.upload(`incoming/batch-${n}.txt`, wireRelease({ headline: `Acme ships robot number ${n}`, categories: ['Technology'] })));
    }
    await harness.run(...events);

    const ids = Array.from({ length: COUNT }, (_, i) => `batch-${String(i + 1).padStart(2, '0')}`).sort();
    for (const language of ['en', 'de']) {
      const entries = await harness.feeds.latest(language, 50);
      expect(entries.map((e) => e.releaseId).sort(), language).toEqual(ids);
      const feed = JSON.parse(new TextDecoder().decode((await harness.distribution.get(`${language}/feed.json`))!.body));
      expect(feed.items.map((item: { id: string }) => item.id).sort(), `${language}/feed.json`).toEqual(
        ids.map((id) => `urn:polywire:${id}:${language}`).sort(),
      );
      const rss = new TextDecoder().decode((await harness.distribution.get(`${language}/feed.xml`))!.body);
      expect(rss.match(/<item>/g)).toHaveLength(COUNT);
    }
    // The publish queue really ran batches of several jobs per language group.
    const publishJobs = harness.queues.publish.bodies<{ kind: string }>().filter((j) => j.kind === 'variant');
    expect(publishJobs).toHaveLength(COUNT * 2);
    expect(harness.queues.publish.deadLetters).toEqual([]);
    const root = new TextDecoder().decode((await harness.distribution.get('sitemap.xml'))!.body);
    for (const id of ids) expect(root).toContain(`/en/releases/${id}.html`);
  });
});
