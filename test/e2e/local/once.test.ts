/**
 * `polywire start --once --export`: the drop folder's releases processed, a rejected upload
 * reported without failing the run, the site exported as plain files, nothing left running.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = new URL('../../../', import.meta.url).pathname;

describe('polywire start --once --export', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-once-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('processes the drop folder, reports a rejected upload, exports the site and exits 0', async () => {
    const inbox = join(dataDir, 'inbox');
    mkdirSync(inbox, { recursive: true });
    copyFileSync(join(repo, 'seeds/seaprwire-de-2024-blinken.txt'), join(inbox, 'blinken.txt'));
    writeFileSync(join(inbox, 'empty.txt'), '');
    const out = join(dataDir, 'out');
    const { stdout } = await run(
      process.execPath,
      ['bin/polywire.mjs', 'start', '--once', '--no-seeds', '--data-dir', dataDir, '--port', '0', '--languages', 'en,de,ja,ar', '--base-url', 'https://news.example.com', '--export', out],
      { cwd: repo, env: { ...process.env, CI: '1' }, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toMatch(/4\/4 languages published/);
    expect(stdout).toMatch(/Drop folder: 2 uploaded, 0 same as in the bucket; moved to /);
    // Uploaded once, then out of the drop folder: a later start never sends them again.
    expect(existsSync(join(inbox, 'blinken.txt'))).toBe(false);
    expect(existsSync(join(inbox, 'uploaded', 'blinken.txt'))).toBe(true);
    expect(stdout).toMatch(/incoming\/empty\.txt: rejected — /);
    expect(stdout).toMatch(/Exported \d+ files/);
    expect(stdout).toMatch(/0 dead letters/);
    // The servers are gone when the run ends: no links to them, no upload command for them.
    expect(stdout).not.toMatch(/http:\/\/127\.0\.0\.1/);
    expect(stdout).not.toMatch(/aws --endpoint-url/);
    expect(stdout).toContain(`Export to     ${out}`);
    const page = readFileSync(join(out, 'de/index.html'), 'utf8');
    expect(page).toContain('https://news.example.com/');
    expect(existsSync(join(out, 'ja/feed.xml'))).toBe(true);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);

    // A second run finds nothing new: the drop folder is empty, nothing is processed again.
    const again = await run(process.execPath, ['bin/polywire.mjs', 'start', '--once', '--no-seeds', '--data-dir', dataDir, '--port', '0', '--languages', 'en,de,ja,ar'], {
      cwd: repo,
      env: { ...process.env, CI: '1' },
    });
    expect(again.stdout).not.toMatch(/Drop folder: |Seeds: /);
    expect(again.stdout).toMatch(/Done in .*: 0 releases/);

    const dlq = await run(process.execPath, ['bin/polywire.mjs', 'dlq', '--data-dir', dataDir], { cwd: repo });
    expect(dlq.stdout).toContain('No dead letters.');
  });
});
