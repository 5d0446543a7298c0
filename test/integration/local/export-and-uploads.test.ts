import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';
import { exportBucket } from '../../../infra/local/export';
import { CONTENT_SHA256_METADATA, releaseFilesIn, uploadDroppedFile, uploadIfChanged, uploadSeeds, watchDropFolder } from '../../../infra/local/uploads';
import { bridgeS3Notifications } from '../../../infra/local/s3-events';
import { LocalQueue } from '../../../infra/local/sqs/queue';

describe('export of the distribution bucket, and uploads into incoming/', () => {
  let emulators: Emulators;
  let s3: S3Client;
  const folder = mkdtempSync(join(tmpdir(), 'polywire-export-'));

  beforeAll(async () => {
    emulators = await startEmulators();
    s3 = new S3Client(emulators.s3ClientConfig());
  });
  afterAll(async () => {
    s3?.destroy();
    await emulators?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('exports every object as a file, across more than one listing page (s3rver continuation tokens)', async () => {
    const keys = Array.from({ length: 25 }, (_, i) => `de/releases/r${String(i).padStart(4, '0')}.html`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: emulators.buckets.distribution, Key, Body: `<p>${Key}</p>`, ContentType: 'text/html' }))));
    }
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.distribution, Key: 'index.html', Body: 'root' }));
    const out = join(folder, 'out');
    // Pages of 7 keys: the listing continues four times, as a bucket of thousands of pages does.
    const result = await exportBucket(s3, emulators.buckets.distribution, out, 7);
    expect(result.files).toBe(26);
    expect(readFileSync(join(out, 'de/releases/r0024.html'), 'utf8')).toBe('<p>de/releases/r0024.html</p>');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('root');
  });

  it('uploads a file once and skips it while its bytes are unchanged', async () => {
    const file = join(folder, 'Pressemitteilung März.txt');
    writeFileSync(file, 'Headline\n\nBody.');
    expect(await uploadIfChanged(s3, emulators.buckets.uploads, file)).toBe('uploaded');
    expect(await uploadIfChanged(s3, emulators.buckets.uploads, file)).toBe('unchanged');
    const head = await s3.send(new HeadObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/Pressemitteilung März.txt' }));
    expect(head.Metadata?.[CONTENT_SHA256_METADATA]).toMatch(/^[0-9a-f]{64}$/);
    expect(head.ContentType).toBe('text/plain; charset=utf-8');
    writeFileSync(file, 'Headline\n\nBody, corrected.');
    expect(await uploadIfChanged(s3, emulators.buckets.uploads, file)).toBe('uploaded');
  });

  it('lists release files of a folder without dotfiles or READMEs', () => {
    const seeds = join(folder, 'seeds');
    mkdirSync(join(seeds, 'events'), { recursive: true });
    for (const name of ['b.md', 'a.txt', '.DS_Store', 'README.md']) writeFileSync(join(seeds, name), 'x');
    expect(releaseFilesIn(seeds).map((f) => f.slice(seeds.length + 1))).toEqual(['a.txt', 'b.md']);
  });

  it('uploads a file dropped into the watched folder, which triggers the ingest queue', async () => {
    const queue = new LocalQueue({ name: 'polywire-ingest' });
    const unbridge = bridgeS3Notifications(emulators.s3, { bucket: emulators.buckets.uploads, prefix: 'incoming/', queue });
    const inbox = join(folder, 'inbox');
    const uploaded: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const watcher = watchDropFolder(
      inbox,
      async (file) => {
        await uploadIfChanged(s3, emulators.buckets.uploads, file);
        uploaded.push(file);
        done();
      },
      { settleMs: 50 },
    );
    writeFileSync(join(inbox, 'dropped release.md'), '# Dropped\n\nText.');
    await finished;
    watcher.close();
    unbridge();
    expect(uploaded).toEqual([join(inbox, 'dropped release.md')]);
    const [message] = queue.receive(1, 30);
    expect(JSON.parse(message!.body).Records[0].s3.object.key).toBe('incoming/dropped+release.md');
  });
});

describe('seeds and the drop folder never revert a newer object', () => {
  let emulators: Emulators;
  let s3: S3Client;
  const folder = mkdtempSync(join(tmpdir(), 'polywire-seeds-'));
  const text = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: emulators.buckets.uploads, Key: key }))).Body!.transformToString();

  beforeAll(async () => {
    emulators = await startEmulators();
    s3 = new S3Client(emulators.s3ClientConfig());
  });
  afterAll(async () => {
    s3?.destroy();
    await emulators?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('uploads a seed once, keeps a correction made in the bucket, and uploads the seed again only when the seed file changes', async () => {
    const seeds = join(folder, 'seeds');
    mkdirSync(seeds);
    const seed = join(seeds, 'a.txt');
    writeFileSync(seed, 'Headline v1\n\nBody.');
    const record = join(folder, 'seeds-uploaded.json');
    const bucket = emulators.buckets.uploads;
    expect([...(await uploadSeeds(s3, bucket, [seed], record)).values()]).toEqual(['uploaded']);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/a.txt', Body: 'Headline v2\n\nCorrected.' }));
    expect([...(await uploadSeeds(s3, bucket, [seed], record)).values()]).toEqual(['unchanged']);
    expect(await text('incoming/a.txt')).toBe('Headline v2\n\nCorrected.');
    writeFileSync(seed, 'Headline v3\n\nThe seed file itself changed.');
    expect([...(await uploadSeeds(s3, bucket, [seed], record)).values()]).toEqual(['uploaded']);
    expect(await text('incoming/a.txt')).toBe('Headline v3\n\nThe seed file itself changed.');
  });

  it('records, without uploading, a seed whose key already holds an object (a data folder older than the record)', async () => {
    const seed = join(folder, 'b.txt');
    writeFileSync(seed, 'Seed bytes');
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/b.txt', Body: 'A correction' }));
    const record = join(folder, 'old-seeds-uploaded.json');
    expect([...(await uploadSeeds(s3, emulators.buckets.uploads, [seed], record)).values()]).toEqual(['in-bucket']);
    expect(await text('incoming/b.txt')).toBe('A correction');
    expect(JSON.parse(readFileSync(record, 'utf8'))).toHaveProperty('b.txt');
  });

  it('moves a dropped file to uploaded/ once it is uploaded', async () => {
    const inbox = join(folder, 'inbox');
    mkdirSync(inbox);
    writeFileSync(join(inbox, 'c.md'), '# Headline\n\nBody.');
    const { outcome, movedTo } = await uploadDroppedFile(s3, emulators.buckets.uploads, join(inbox, 'c.md'));
    expect(outcome).toBe('uploaded');
    expect(movedTo).toBe(join(inbox, 'uploaded', 'c.md'));
    expect(releaseFilesIn(inbox)).toEqual([]);
    expect(await text('incoming/c.md')).toBe('# Headline\n\nBody.');
  });
});
