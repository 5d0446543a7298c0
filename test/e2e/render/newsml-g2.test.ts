/**
 * Every NewsML-G2 item the seeds produce, validated by xmllint against the vendored IPTC 2.35
 * schema (test/fixtures/schemas/newsml-g2/), after a real `polywire start --once --export` run;
 * and the seeds' categories, written in Spanish, French, German, Arabic, Thai, Japanese and
 * English, carrying the same IPTC Media Topic codes in ninjs, NewsML-G2 and the pages' JSON-LD;
 * and each language's Atom feed linking every entry's item (the NewsML-G2 feed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = new URL('../../../', import.meta.url).pathname;
const SCHEMA = join(repo, 'test/fixtures/schemas/newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd');
const LANGUAGES = ['en', 'de', 'ar', 'ja'];

let dataDir: string;
let out: string;

function xmllint(files: string[]): { ok: boolean; output: string } {
  try {
    const output = execFileSync('/usr/bin/xmllint', ['--noout', '--schema', SCHEMA, ...files], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stderr?: string };
    return { ok: false, output: e.stderr ?? String(error) };
  }
}

function releaseFiles(ext: string): string[] {
  return LANGUAGES.flatMap((lang) => {
    const dir = join(out, lang, 'releases');
    return readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .map((f) => join(dir, f));
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'polywire-newsml-'));
  out = join(dataDir, 'out');
  await run(process.execPath, ['bin/polywire.mjs', 'start', '--once', '--data-dir', dataDir, '--port', '0', '--languages', LANGUAGES.join(','), '--base-url', 'https://news.example.com', '--export', out], {
    cwd: repo,
    env: { ...process.env, CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
}, 480_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('NewsML-G2 from the seeds', () => {
  it('every item validates with xmllint --schema against the vendored IPTC NewsML-G2 2.35 schema', () => {
    const items = releaseFiles('.xml');
    // 10 seeds × 4 languages (the embargoed seed's lift may still be ahead: then it is not published).
    expect(items.length).toBeGreaterThanOrEqual(9 * LANGUAGES.length);
    const result = xmllint(items);
    expect(result.output.split('\n').filter((l) => l && !l.endsWith(' validates'))).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('each language Atom feed is the NewsML-G2 feed: every entry links an exported item that validates', () => {
    const base = 'https://news.example.com/';
    for (const lang of LANGUAGES) {
      const feed = join(out, lang, 'atom.xml');
      // Well-formed (no schema: IPTC publishes none for Atom).
      expect(execFileSync('/usr/bin/xmllint', ['--noout', feed], { encoding: 'utf8', stdio: 'pipe' })).toBe('');
      const atom = readFileSync(feed, 'utf8');
      const entries = atom.split('<entry>').length - 1;
      const links = [...atom.matchAll(/<link rel="alternate" type="application\/vnd\.iptc\.g2\.newsitem\+xml" href="([^"]+)"\/>/g)].map((m) => m[1]!);
      expect(entries).toBeGreaterThan(0);
      expect(links).toHaveLength(entries);
      const files = links.map((href) => {
        expect(href.startsWith(base)).toBe(true);
        return join(out, href.slice(base.length));
      });
      const result = xmllint(files);
      expect(result.output.split('\n').filter((l) => l && !l.endsWith(' validates'))).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it('the validator does reject an item that breaks the schema (element order)', () => {
    const item = readFileSync(releaseFiles('.xml')[0]!, 'utf8');
    const broken = join(dataDir, 'broken.xml');
    // versionCreated must follow provider; moving it before itemClass breaks the sequence.
    writeFileSync(broken, item.replace(/(\s*<itemClass[^>]*\/>)([\s\S]*?)(\s*<versionCreated>[^<]*<\/versionCreated>)/, '$3$1$2'));
    expect(xmllint([broken]).ok).toBe(false);
  });

  it('maps the seeds categories in every source language to the same Media Topic codes in ninjs, NewsML-G2 and JSON-LD', () => {
    const codesByRelease = new Map<string, Set<string>>();
    const sourceLanguage = new Map<string, string>();
    for (const lang of LANGUAGES) {
      const base = join(out, lang, 'releases');
      for (const file of readdirSync(base).filter((f) => f.endsWith('.json'))) {
        const id = file.replace(/\.json$/, '');
        const ninjs = JSON.parse(readFileSync(join(base, file), 'utf8')) as {
          subjects: { rel: string; literal: string }[];
          associations: { rel: string; language: string }[];
        };
        const fromNinjs = ninjs.subjects
          .filter((s) => s.rel === 'about')
          .map((s) => s.literal)
          .sort();
        const xml = readFileSync(join(base, `${id}.xml`), 'utf8');
        const fromG2 = [...xml.matchAll(/<subject type="cpnat:abstract" qcode="(medtop:\d+)"/g)].map((m) => m[1]!).sort();
        const page = readFileSync(join(base, `${id}.html`), 'utf8');
        const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!) as { about?: { termCode: string }[] };
        const fromLd = (ld.about ?? []).map((a) => a.termCode).sort();
        expect({ id, lang, fromG2, fromLd }).toEqual({ id, lang, fromG2: fromNinjs, fromLd: fromNinjs });
        const codes = codesByRelease.get(id) ?? new Set<string>();
        codes.add(fromNinjs.join(','));
        codesByRelease.set(id, codes);
        sourceLanguage.set(id, ninjs.associations.find((a) => a.rel === 'original')?.language ?? lang);
      }
    }
    // Every language version of a release carries the same codes (translated names included)…
    for (const [id, codes] of codesByRelease) expect({ id, codes: codes.size }).toEqual({ id, codes: 1 });
    // …and the business code reaches releases whose categories were written in many languages.
    const business = [...codesByRelease].filter(([, codes]) => [...codes][0]!.includes('medtop:04000000')).map(([id]) => sourceLanguage.get(id));
    expect(new Set(business).size).toBeGreaterThanOrEqual(5);
  });
});
