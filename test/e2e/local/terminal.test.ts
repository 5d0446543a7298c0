/**
 * `npm start` in a real terminal (a tmux pseudo-terminal): Ctrl-C mid-translation drains like
 * SIGINT elsewhere (a "stopping…" line, stack.json and the lock removed, exit 0), and a restart
 * finishes every release in every language with nothing in the dead-letter list.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterStore } from '../../../infra/local/dead-letters';
import { queueJournalFile } from '../../../infra/local/saved-queues';
import { readJournal } from '../../../infra/local/sqs/journal';
import { QUEUE_NAMES } from '../../../infra/local/stack';
import { allPublished, pipelineState, repo, seed, spawnStart, tryReadStack, until, uploadReleases, waitForStack, type StartedProcess } from '../../support/start-process';
import { TmuxTerminal } from '../../support/tmux';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('polywire start in a terminal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-tty-'));
  const terminal = new TmuxTerminal(100, 40);
  const processes: StartedProcess[] = [];
  afterAll(async () => {
    terminal.close();
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drains on Ctrl-C mid-translation, and a restart publishes every release', async () => {
    const exitFile = join(dataDir, 'exit-code');
    const args = ['--data-dir', dataDir, '--port', '0', '--no-seeds'];
    // CI would switch the display to plain lines: this is a user's terminal.
    terminal.start(`cd ${shellQuote(repo)} && env -u CI -u NO_COLOR TERM=xterm-256color ${shellQuote(process.execPath)} bin/polywire.mjs start ${args.map(shellQuote).join(' ')}; echo $? > ${shellQuote(exitFile)}`);
    const stack = await until('the stack file', () => tryReadStack(dataDir), 90_000);
    const keys = await uploadReleases(stack, ['ondine-energie-fr-2026.md', 'rimal-energy-ar-2026.txt', 'siam-biogas-th-2026.txt', 'lindqvist-bahn-de-2026.json'].map(seed));
    await until('translation work in the queue', () => (readJournal(queueJournalFile(dataDir, QUEUE_NAMES.translate)).messages.length > 0 ? true : undefined), 120_000, 5);
    terminal.keys('C-c');

    const code = await until('polywire start to exit', () => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : undefined), 60_000);
    const history = terminal.history();
    expect(code, history).toBe('0');
    expect(history).toMatch(/SIGINT: stopping…/);
    expect(history).toContain('Stopped.');
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'lock'))).toBe(false);

    const restart = spawnStart(args);
    processes.push(restart);
    const restarted = await waitForStack(dataDir, restart.child.pid, () => (restart.child.exitCode !== null ? `restart exited early:\n${restart.output()}` : undefined));
    await until('every release published in every language', async () => (allPublished(await pipelineState(restarted, keys), keys) ? true : undefined), 200_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- terminal:\n${history}\n--- restart:\n${restart.output()}`);
    });
    expect(new DeadLetterStore(join(dataDir, 'dlq')).list()).toEqual([]);
    restart.child.kill('SIGINT');
    expect(await restart.exited).toBe(0);
  });

  it('redraws the live display in place at 80×24, keeps logs out of it, lists a rejected upload once and fits the summary in 80 columns', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'polywire-tty-display-'));
    const screen = new TmuxTerminal(80, 24);
    try {
      const exitFile = join(folder, 'exit-code');
      // Something to reject: the ingest stage logs a JSON warning for it, which must not land in the grid.
      mkdirSync(join(folder, 'inbox'));
      writeFileSync(join(folder, 'inbox', 'empty.txt'), '');
      const args = ['--data-dir', folder, '--port', '0', '--languages', 'en,de,fr,ja,ar,zh-Hans'];
      screen.start(`cd ${shellQuote(repo)} && env -u CI NO_COLOR=1 TERM=xterm-256color ${shellQuote(process.execPath)} bin/polywire.mjs start ${args.map(shellQuote).join(' ')}; echo $? > ${shellQuote(exitFile)}`);
      await until('the stack file', () => tryReadStack(folder), 90_000);
      // While the display runs, the terminal (screen and scrollback) never holds more than one frame of it.
      let frames = 0;
      const summary = await until(
        'the summary table',
        () => {
          const history = screen.history();
          const live = history.split('\n').filter((line) => /Processing releases/.test(line)).length;
          expect(live, history).toBeLessThanOrEqual(1);
          if (live === 1) {
            frames += 1;
            const grid = screen.screen();
            expect(grid, grid).not.toMatch(/^\s*\{"/m);
          }
          return /Published languages:/.test(history) ? history : undefined;
        },
        240_000,
        200,
      );
      expect(frames).toBeGreaterThan(0);
      expect(summary).toMatch(/Processed \d+ releases/);
      expect(summary.split('\n').filter((line) => line.includes('incoming/empty.txt: rejected')).length, summary).toBe(1);
      // No table row wrapped: every row of the table ends with its right border.
      const rows = summary.split('\n').filter((line) => /^[┌│├└]/.test(line));
      expect(rows.length).toBeGreaterThan(3);
      for (const row of rows) expect(row.trimEnd(), summary).toMatch(/[┐│┤┘]$/);
      // NO_COLOR: no colour codes anywhere on the terminal.
      expect(screen.history(true)).not.toMatch(/\u001b\[(3\d|9\d|38;)[0-9;]*m/);
      screen.keys('C-c');
      expect(await until('exit', () => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : undefined), 60_000)).toBe('0');
    } finally {
      screen.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
