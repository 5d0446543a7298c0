import { describe, expect, it } from 'vitest';
import type { ObjectStore, PutObjectOptions, StoredObject } from '../../../../functions/ports';
import { OUTPUT_HASH_METADATA_KEY, writeOutputs } from '../../../../functions/core/publish/write-outputs';
import type { OutputFile } from '../../../../functions/core/render/index';

/** An in-memory bucket that stamps ETag and Last-Modified on every put, like S3. */
class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject & { cacheControl?: string }>();
  puts = 0;
  heads = 0;
  private tick = 0;

  async get(key: string) {
    return this.objects.get(key);
  }
  async head(key: string) {
    this.heads += 1;
    const object = this.objects.get(key);
    if (!object) return undefined;
    const { body: _body, ...meta } = object;
    return meta;
  }
  async put(key: string, body: Uint8Array | string, options: PutObjectOptions) {
    this.puts += 1;
    this.tick += 1;
    this.objects.set(key, {
      body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
      contentType: options.contentType,
      ...(options.cacheControl ? { cacheControl: options.cacheControl } : {}),
      metadata: { ...options.metadata },
      etag: `"etag-${this.tick}"`,
      lastModified: new Date(Date.UTC(2026, 0, 1, 0, 0, this.tick)),
    });
  }
  async copy(from: string, to: string) {
    this.objects.set(to, this.objects.get(from)!);
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  async *list(prefix: string) {
    yield* [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

function file(path: string, body: string, cacheControl = 'public, max-age=60, must-revalidate'): OutputFile {
  return { path, body, contentType: 'text/html; charset=utf-8', cacheControl };
}

describe('writeOutputs', () => {
  it('writes new files with their headers and a content hash', async () => {
    // Prepare
    const store = new MemoryStore();
    // Act
    const result = await writeOutputs(store, [file('en/index.html', '<p>hi</p>'), file('de/index.html', '<p>hallo</p>')]);
    // Assess
    expect(result).toEqual({ written: 2, unchanged: 0 });
    const stored = store.objects.get('en/index.html')!;
    expect(new TextDecoder().decode(stored.body)).toBe('<p>hi</p>');
    expect(stored.contentType).toBe('text/html; charset=utf-8');
    expect(stored.cacheControl).toBe('public, max-age=60, must-revalidate');
    expect(stored.metadata[OUTPUT_HASH_METADATA_KEY]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips unchanged files so they keep ETag and Last-Modified, and rewrites changed ones', async () => {
    const store = new MemoryStore();
    await writeOutputs(store, [file('en/index.html', 'a'), file('en/feed.xml', 'b')]);
    const before = await store.head('en/index.html');
    const result = await writeOutputs(store, [file('en/index.html', 'a'), file('en/feed.xml', 'b changed')]);
    expect(result).toEqual({ written: 1, unchanged: 1 });
    expect(store.puts).toBe(3);
    expect(await store.head('en/index.html')).toEqual(before);
    expect(new TextDecoder().decode(store.objects.get('en/feed.xml')!.body)).toBe('b changed');
  });

  it('rewrites a file whose headers changed even when the body did not', async () => {
    const store = new MemoryStore();
    await writeOutputs(store, [file('en/index.html', 'a')]);
    const result = await writeOutputs(store, [file('en/index.html', 'a', 'public, max-age=300')]);
    expect(result).toEqual({ written: 1, unchanged: 0 });
    expect(store.objects.get('en/index.html')!.cacheControl).toBe('public, max-age=300');
  });

  it('refuses keys that escape the bucket layout and duplicates in one batch', async () => {
    const store = new MemoryStore();
    await expect(writeOutputs(store, [file('/abs.html', 'x')])).rejects.toThrow(/refusing/);
    await expect(writeOutputs(store, [file('en/../x.html', 'x')])).rejects.toThrow(/refusing/);
    await expect(writeOutputs(store, [file('a.html', 'x'), file('a.html', 'y')])).rejects.toThrow(/twice/);
    expect(store.puts).toBe(0);
  });

  it('skips the HEAD for a file it knows changed since its own last write, and never skips a needed write', async () => {
    const store = new MemoryStore();
    await writeOutputs(store, [file('en/feed.xml', 'v1')]);
    expect(store.heads).toBe(1);
    // Changed since this process wrote v1: written without asking first.
    expect(await writeOutputs(store, [file('en/feed.xml', 'v2')])).toEqual({ written: 1, unchanged: 0 });
    expect(store.heads).toBe(1);
    // The same bytes again: checked with a HEAD, found current, not rewritten.
    expect(await writeOutputs(store, [file('en/feed.xml', 'v2')])).toEqual({ written: 0, unchanged: 1 });
    expect(store.heads).toBe(2);
  });

  it('asks the bucket before skipping: a file overwritten by another writer is written again', async () => {
    const store = new MemoryStore();
    await writeOutputs(store, [file('en/feed.xml', 'mine')]);
    await store.put('en/feed.xml', 'theirs', { contentType: 'text/html; charset=utf-8', metadata: { [OUTPUT_HASH_METADATA_KEY]: 'theirs' } });
    expect(await writeOutputs(store, [file('en/feed.xml', 'mine')])).toEqual({ written: 1, unchanged: 0 });
    expect(new TextDecoder().decode(store.objects.get('en/feed.xml')!.body)).toBe('mine');
  });

  it('writes keys the caller knows are new without a HEAD, and a repeat of them harmlessly writes the same bytes', async () => {
    const store = new MemoryStore();
    const files = [file('de/releases/a.html', '<p>a</p>'), file('de/releases/a.json', '{}')];
    expect(await writeOutputs(store, files, { newKeys: true })).toEqual({ written: 2, unchanged: 0 });
    expect(store.heads).toBe(0);
    expect(store.puts).toBe(2);
    // A retried job after a crash: the same bytes again, the same content.
    await writeOutputs(store, files, { newKeys: true });
    expect(new TextDecoder().decode(store.objects.get('de/releases/a.html')!.body)).toBe('<p>a</p>');
  });

  it('trusts what it remembers only where the caller vouches for it: the same bytes need no HEAD, other bytes are still written', async () => {
    const store = new MemoryStore();
    const trustKnown = new Set(['assets/site.css']);
    const css = (body: string) => ({ path: 'assets/site.css', body, contentType: 'text/css; charset=utf-8', cacheControl: 'public, max-age=3600' });
    await writeOutputs(store, [css('a{}'), file('index.html', 'one')], { trustKnown });
    const heads = store.heads;
    expect(await writeOutputs(store, [css('a{}'), file('index.html', 'one')], { trustKnown })).toEqual({ written: 0, unchanged: 2 });
    // Only the listing page was asked about.
    expect(store.heads - heads).toBe(1);
    // Another code version's stylesheet: written, whatever the cache held.
    expect(await writeOutputs(store, [css('b{}')], { trustKnown })).toEqual({ written: 1, unchanged: 0 });
    expect(new TextDecoder().decode(store.objects.get('assets/site.css')!.body)).toBe('b{}');
  });
});
