/**
 * RFC 5005 archive chains read back from the distribution bucket, as a feed reader that polled
 * once would: from the subscription feed along `prev-archive` links, for RSS, Atom and JSON Feed;
 * and the releases that fill one language's feed.
 */
import { expect } from 'vitest';
import type { PipelineHarness } from './harness';
import { wireRelease } from './releases';

/** One feed document's item ids and its `prev-archive` link, if any. */
export type ChainReader = (body: string) => { ids: string[]; prev?: string };

export const readRss: ChainReader = (body) => ({
  ids: [...body.matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]!),
  prev: /<atom:link href="([^"]+)" rel="prev-archive"/.exec(body)?.[1],
});

export const readAtom: ChainReader = (body) => ({
  ids: [...body.matchAll(/<entry>\s*<title[^>]*>[\s\S]*?<\/title>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1]!),
  prev: /<link rel="prev-archive" href="([^"]+)"\/>/.exec(body)?.[1],
});

export const readJson: ChainReader = (body) => {
  const feed = JSON.parse(body) as { items: { id: string }[]; next_url?: string; _rfc5005?: { prev_archive?: string } };
  expect(feed.next_url).toBe(feed._rfc5005?.prev_archive);
  return { ids: feed.items.map((i) => i.id), ...(feed.next_url ? { prev: feed.next_url } : {}) };
};

/** A distribution object's body as text; a missing key fails with its name. */
export async function distributionText(harness: PipelineHarness, key: string): Promise<string> {
  const object = await harness.distribution.get(key);
  if (!object) throw new Error(`${key} is not in the distribution bucket`);
  return new TextDecoder().decode(object.body);
}

/** Each document's item ids along the chain from `start`, the subscription feed first; a loop fails. */
export async function walkChain(harness: PipelineHarness, baseUrl: string, start: string, read: ChainReader): Promise<string[][]> {
  const pages: string[][] = [];
  const seen = new Set<string>();
  let key: string | undefined = start;
  while (key) {
    expect(seen.has(key), `loop at ${key}`).toBe(false);
    seen.add(key);
    const { ids, prev } = read(await distributionText(harness, key));
    pages.push(ids);
    if (prev === undefined) break;
    expect(prev.startsWith(baseUrl)).toBe(true);
    key = decodeURIComponent(prev.slice(baseUrl.length));
  }
  return pages;
}

/** Uploads one English release per id, all in the Technology category, and runs the pipeline until idle. */
export async function publishIntoOneFeed(harness: PipelineHarness, ids: readonly string[]): Promise<void> {
  const events: string[] = [];
  for (const id of ids) {
    events.push(await harness.upload(`incoming/${id}.txt`, wireRelease({ headline: `Acme ships robot ${id}`, company: `Acme ${id}`, categories: ['Technology'] })));
  }
  await harness.run(...events);
}
