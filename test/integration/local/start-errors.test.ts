/**
 * `polywire start` refusing bad settings: exit code 2 and a message that says what is wrong and
 * how to fix it, before anything is started — never a hang, never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWritableDir } from '../../../infra/local/data-dir';

const cli = new URL('../../../bin/polywire.mjs', import.meta.url).pathname;

/** Runs the CLI in a folder without `.env`; a hang is killed after 60 s and fails the test. */
function start(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  const environment: Record<string, string | undefined> = { ...process.env, CI: '1', ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete environment[name];
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'start', '--once', '--no-seeds', ...args], { cwd: scratch, env: environment, timeout: 60_000 }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      resolve({ code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

let scratch: string;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'polywire-start-errors-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

describe('polywire start: refused settings', () => {
  it('refuses a data folder under /proc (where a recursive mkdir would spin forever), naming the folder given', async () => {
    const result = await start(['--data-dir', '/proc/forbidden/polywire', '--port', '0']);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/data folder \/proc\/forbidden\/polywire is not writable \([A-Z]+\): choose another with --data-dir/);
    expect(result.stderr).not.toMatch(/polywire\/s3/);
  });

  it('refuses a data folder below a file', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a folder');
    const result = await start(['--data-dir', join(file, 'data'), '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`data folder ${join(file, 'data')} is not writable (ENOTDIR): choose another with --data-dir`);
  });

  it('refuses a busy site port', async () => {
    const result = await start(['--data-dir', join(scratch, 'busy'), '--port', String(busyPort)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${busyPort} on 127.0.0.1 for the site (--port) is already in use: stop the other process or choose another port`);
  });

  it('refuses the deepl engine without DEEPL_API_KEY', async () => {
    const result = await start(['--data-dir', join(scratch, 'deepl'), '--port', '0', '--engine', 'deepl'], { DEEPL_API_KEY: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the deepl engine needs an API key: set DEEPL_API_KEY in the environment or in .env');
  });
});

describe('ensureWritableDir', () => {
  it('creates missing levels one by one under a writable ancestor', () => {
    const dir = join(scratch, 'x', 'y', 'z');
    ensureWritableDir(dir);
    expect(() => ensureWritableDir(dir)).not.toThrow();
  });

  it('names the folder the user gave, not the subfolder it was creating', () => {
    expect(() => ensureWritableDir('/proc/forbidden/s3', '/proc/forbidden')).toThrow(/^data folder \/proc\/forbidden is not writable/);
  });
});

describe('polywire start --once and the site port', () => {
  it('does not need port 8080: it serves nothing after it ends', async () => {
    // Hold 8080 if it is free; if something else holds it already, the point is the same.
    const holder = createServer();
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen(8080, '127.0.0.1', () => resolve());
    });
    try {
      const result = await start(['--data-dir', join(scratch, 'once-port'), '--languages', 'en']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Done in .*: 0 releases/);
    } finally {
      await new Promise((resolve) => (holder.listening ? holder.close(resolve) : resolve(undefined)));
    }
  });
});
