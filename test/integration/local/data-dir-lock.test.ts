/**
 * One stack per data folder: a second `startLocalStack` on the same folder is refused with a
 * clear message (it used to crash later with dynalite's "Database is closed"), and a lock left by
 * a process that is gone is taken over.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../../infra/local/stack';

const noop = async () => undefined;
const handlers = { ingest: noop, translate: noop, publish: noop, deliver: noop };
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function dataFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'polywire-lock-'));
  folders.push(folder);
  return folder;
}

describe('data folder lock', () => {
  it('refuses a second stack on the same data folder while the first runs, and frees it on close', async () => {
    const dataDir = dataFolder();
    const first = await startLocalStack({ dataDir, handlers, writeStackFile: false });
    try {
      expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
      await expect(startLocalStack({ dataDir, handlers, writeStackFile: false })).rejects.toThrow(`data folder ${dataDir} is in use by polywire (pid ${process.pid}): stop it or use another --data-dir`);
    } finally {
      await first.close(1000);
    }
    expect(existsSync(join(dataDir, 'lock'))).toBe(false);
    const second = await startLocalStack({ dataDir, handlers, writeStackFile: false });
    await second.close(1000);
  });

  it('takes over a lock whose process is gone', async () => {
    const dataDir = dataFolder();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dataDir, 'lock'), `${gone}\n`);
    const stack = await startLocalStack({ dataDir, handlers, writeStackFile: false });
    expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
    await stack.close(1000);
  });
});
