/**
 * A real pseudo-terminal for end-to-end tests: a detached tmux session on a private server
 * socket. `screen()` is what the terminal shows (tmux's emulation of it), not the byte stream,
 * so a test can check that a display redraws in place.
 */
import { execFileSync } from 'node:child_process';

export const TMUX = '/usr/bin/tmux';

export class TmuxTerminal {
  private readonly socket = `polywire-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    readonly columns = 80,
    readonly rows = 40,
  ) {}

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Runs a shell command line in the terminal (the session stays open after it ends). */
  start(commandLine: string): void {
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(this.columns), '-y', String(this.rows), commandLine);
    this.tmux('set-option', '-t', 'main', 'remain-on-exit', 'on');
    this.tmux('set-option', '-t', 'main', 'history-limit', '20000');
  }

  /** The visible screen, one string a row. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** The screen and everything scrolled off it; `escapes` keeps colour and attribute codes. */
  history(escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-S', '-', '-t', 'main');
  }

  /** Keys as tmux names them: `C-c` is Ctrl-C. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
