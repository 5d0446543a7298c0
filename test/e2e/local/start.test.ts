/**
 * `polywire start` as a user runs it, driven by real clients: the AWS CLI uploads a release,
 * the site is fetched over HTTP (conditional requests included), feeds are parsed by Python's
 * feedparser, ninjs is validated against the IPTC schema, a page is opened in headless Chromium,
 * and Ctrl-C stops everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { chromium, type Browser } from 'playwright-core';
import { DEFAULT_TARGET_LANGUAGES } from '../../../functions/core/languages';
import { readStackFile, stackFilePath, type LocalStackInfo } from '../../../infra/local/stack-file';
import { portIsClosed } from '../../support/ports';

const run = promisify(execFile);
const repo = new URL('../../../', import.meta.url).pathname;
const AWS = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';
const CHROMIUM = '/usr/bin/chromium';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe('polywire start, end to end with real clients', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-e2e-'));
  let child: ChildProcess;
  let output = '';
  let stack: LocalStackInfo;
  let browser: Browser | undefined;

  beforeAll(async () => {
    child = spawn(process.execPath, ['bin/polywire.mjs', 'start', '--data-dir', dataDir, '--port', '0', '--no-seeds'], {
      cwd: repo,
      env: { ...process.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stack = await until(
      'the stack file',
      () => {
        if (child.exitCode !== null) throw new Error(`polywire start exited early (${child.exitCode}):\n${output}`);
        return readStackFile(dataDir);
      },
      60_000,
    );
  });

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const site = (path: string) => new URL(path, stack.siteUrl).href;

  it('prints a banner with the site URL and the AWS CLI upload command', () => {
    expect(output).toContain(`Site          ${stack.siteUrl}`);
    expect(output).toContain(`aws --endpoint-url ${stack.s3Endpoint} s3 cp release.md s3://polywire-uploads/incoming/`);
  });

  it('publishes a release uploaded with the AWS CLI (key with spaces and an umlaut) in all 15 languages', async () => {
    const upload = join(dataDir, 'Pressemitteilung März 2024.txt');
    copyFileSync(join(repo, 'seeds/seaprwire-de-2024-blinken.txt'), upload);
    await run(AWS, ['--endpoint-url', stack.s3Endpoint, 's3', 'cp', upload, 's3://polywire-uploads/incoming/'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_PAGER: '' },
    });
    for (const language of DEFAULT_TARGET_LANGUAGES) {
      await until(`the ${language} feed`, async () => {
        const response = await fetch(site(`${language}/feed.json`));
        if (response.status !== 200) return undefined;
        const feed = (await response.json()) as { items: unknown[] };
        return feed.items.length > 0 ? true : undefined;
      });
    }
  });

  it('reports an upload the ingest stage rejects with one readable line, not only a JSON warning', async () => {
    const empty = join(dataDir, 'leer.txt');
    writeFileSync(empty, '');
    await run(AWS, ['--endpoint-url', stack.s3Endpoint, 's3', 'cp', empty, 's3://polywire-uploads/incoming/'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_PAGER: '' },
    });
    await until('the rejection line', () => /^incoming\/leer\.txt: rejected — .+$/m.exec(output)?.[0], 60_000);
    expect(output.match(/^incoming\/leer\.txt: rejected — /gm)).toHaveLength(1);
  });

  it('serves the feed with ETag and answers a conditional request with 304', async () => {
    const first = await fetch(site('de/feed.xml'));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/xml/);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const second = await fetch(site('de/feed.xml'), { headers: { 'if-none-match': etag! } });
    expect(second.status).toBe(304);
    writeFileSync(join(dataDir, 'de-feed.xml'), await first.text());
  });

  it('has feeds that Python feedparser reads without errors', async () => {
    const script =
      'import feedparser, json, sys; d = feedparser.parse(sys.argv[1]); print(json.dumps({"bozo": d.bozo, "entries": len(d.entries), "language": d.feed.get("language"), "title": d.entries[0].title if d.entries else None}))';
    const { stdout } = await run(PYTHON, ['-c', script, join(dataDir, 'de-feed.xml')]);
    const parsed = JSON.parse(stdout) as { bozo: number; entries: number; language: string; title: string };
    expect(parsed.bozo).toBeFalsy();
    expect(parsed.entries).toBe(1);
    expect(parsed.language).toBe('de');
    expect(parsed.title).toMatch(/USA warnt Russland/);
    const atom = await (await fetch(site('ja/atom.xml'))).text();
    writeFileSync(join(dataDir, 'ja-atom.xml'), atom);
    const { stdout: atomOut } = await run(PYTHON, ['-c', script, join(dataDir, 'ja-atom.xml')]);
    expect(JSON.parse(atomOut)).toMatchObject({ bozo: false, entries: 1 });
  });

  it('publishes ninjs that validates against the IPTC ninjs 3.1 schema', async () => {
    const feed = (await (await fetch(site('fr/feed.json'))).json()) as { items: { url: string }[] };
    const pageUrl = new URL(feed.items[0]!.url);
    const ninjsPath = pageUrl.pathname.replace(/\.html$/, '.json');
    const response = await fetch(site(ninjsPath.slice(1)));
    expect(response.status).toBe(200);
    const ninjs = (await response.json()) as { language: string };
    const schema = JSON.parse(readFileSync(join(repo, 'test/fixtures/schemas/ninjs-schema_3.1.json'), 'utf8')) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // The schema references GeoJSON for places; polywire emits no places, so an open stub stands in (no network).
    ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json' });
    const validate = ajv.compile(schema);
    expect(validate(ninjs), JSON.stringify(validate.errors)).toBe(true);
    expect(ninjs.language).toBe('fr');
  });

  it('renders a page that headless Chromium opens with the right title, language and hreflang links', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const feed = (await (await fetch(site('ar/feed.json'))).json()) as { items: { url: string }[] };
    const path = new URL(feed.items[0]!.url).pathname;
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const response = await page.goto(site(path.slice(1)));
    expect(response?.status()).toBe(200);
    expect(await page.title()).not.toBe('');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    const hreflangs = await page.$$eval('link[rel="alternate"][hreflang]', (links) => links.map((l) => l.getAttribute('hreflang')));
    expect(new Set(hreflangs)).toEqual(new Set([...DEFAULT_TARGET_LANGUAGES, 'x-default']));
    expect(blocked).toEqual([]);
  });

  it('stops on Ctrl-C: exit code 0, every port closed, the stack file removed', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const endpoint of [stack.s3Endpoint, stack.dynamoEndpoint, stack.sqsEndpoint!, stack.siteUrl]) expect(await portIsClosed(endpoint)).toBe(true);
    expect(existsSync(stackFilePath(dataDir))).toBe(false);
  });
});
