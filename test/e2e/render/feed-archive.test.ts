/**
 * Python feedparser (what many aggregators run) reading RFC 5005 archive chains: 120 entries of
 * one language rendered as the publish stage renders them (subscription feed of the newest 50,
 * archive pages of 25), then walked back in Python from the subscription feed along each
 * document's `prev-archive` link, in RSS and in Atom. Every document must parse without bozo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { closedPages, loadFeedRenderer, MAX_FEED_ITEMS, pageRange, renderArchivePage, renderLanguageFiles, type OutputFile } from '../../../functions/core/render/index';
import type { FeedEntry } from '../../../functions/core/variant';

const site = { baseUrl: 'https://news.example.com', title: 'polywire newsroom' };
const COUNT = 120;

const entries: FeedEntry[] = Array.from({ length: COUNT }, (_, i) => {
  const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
  return {
    releaseId: `archive-${String(i + 1).padStart(3, '0')}`,
    version: 1,
    language: 'de',
    headline: `Acme liefert Roboter Nr. ${i + 1} aus`,
    summary: `Acme Robotics hat heute Roboter Nr. ${i + 1} ausgeliefert.`,
    categories: ['Technologie'],
    publishedAt: at,
    updatedAt: at,
    provenance: { kind: 'machine', engine: 'amazon-translate' },
  };
});

let dir: string;

function render(category?: string): OutputFile[] {
  const newest = closedPages(COUNT);
  const files: OutputFile[] = [];
  for (let page = 1; page <= newest; page++) {
    const { from, to } = pageRange(page);
    files.push(...renderArchivePage({ site, language: 'de', ...(category ? { category } : {}), page, entries: entries.slice(from - 1, to) }));
  }
  const latest = [...entries].reverse().slice(0, MAX_FEED_ITEMS);
  files.push(...renderLanguageFiles({ site, language: 'de', ...(category ? { category } : {}), entries: latest, updatedAt: latest[0]!.updatedAt, newestArchivePage: newest }));
  return files;
}

const WALK = `
import feedparser, json, sys
base, root, start = sys.argv[1], sys.argv[2], sys.argv[3]
docs = []
path = start
while path:
    d = feedparser.parse(path)
    prev = [l["href"] for l in d.feed.get("links", []) if l.get("rel") == "prev-archive"]
    current = [l["href"] for l in d.feed.get("links", []) if l.get("rel") == "current"]
    docs.append({"path": path[len(root):], "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
                 "ids": [e.get("id") for e in d.entries], "current": current})
    path = root + prev[0][len(base):] if prev else None
print(json.dumps(docs))
`;

beforeAll(async () => {
  await loadFeedRenderer(); // the feed libraries load on first use (functions/core/render/feeds.ts)
  dir = mkdtempSync(join(tmpdir(), 'polywire-archive-'));
  for (const file of [...render(), ...render('Technologie')]) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('RFC 5005 archives in Python feedparser', () => {
  for (const [format, start] of [
    ['RSS', 'de/feed.xml'],
    ['Atom', 'de/atom.xml'],
    ['RSS, category', 'de/categories/technologie/feed.xml'],
    ['Atom, category', 'de/categories/technologie/atom.xml'],
  ] as const) {
    it(`walks the ${format} chain back from the subscription feed: every page parses, all ${COUNT} entries found, none twice in the archive`, () => {
      const docs = JSON.parse(execFileSync('/usr/bin/python3', ['-c', WALK, `${site.baseUrl}/`, `${dir}/`, join(dir, start)], { encoding: 'utf8' })) as {
        path: string;
        bozo: boolean;
        error: string;
        version: string;
        ids: string[];
        current: string[];
      }[];
      expect(docs.map((d) => d.path)).toEqual([start, ...[3, 2, 1].map((p) => start.replace(/(feed|atom)\.xml$/, `archive/${p}/$1.xml`))]);
      for (const doc of docs) {
        expect({ path: doc.path, bozo: doc.bozo, error: doc.error }).toEqual({ path: doc.path, bozo: false, error: '' });
        expect(doc.version).toMatch(/^(rss20|atom10)$/);
      }
      const [current, ...archives] = docs;
      for (const page of archives) {
        expect(page.ids).toHaveLength(25);
        expect(page.current).toEqual([`${site.baseUrl}/${start}`]);
      }
      const archived = archives.flatMap((d) => d.ids);
      expect(new Set(archived).size).toBe(archived.length);
      const all = new Set([...current!.ids, ...archived]);
      expect([...all].sort()).toEqual(entries.map((e) => `urn:polywire:${e.releaseId}:de`).sort());
    });
  }
});
