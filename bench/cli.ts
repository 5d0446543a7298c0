/**
 * CLI start-up: how long `polywire --version`, `polywire --help` and `polywire status` (against a
 * running local stack, reached through its stack file) take as fresh processes, next to a bare
 * `node -e 0` measured in the same interleaved rounds (one of each per round, so the neighbours'
 * load falls on all of them alike). The CLI is the prebuilt one (`scripts/build-cli.mjs`, rebuilt
 * here first when stale), launched through `bin/polywire.mjs` as a user launches it; the same
 * commands through the TypeScript loader (`cli/main.ts` under tsx, the fallback without a build)
 * are measured alongside for comparison.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { median, round, type Benchmark, type Goal } from './harness';

/** Goals from the issue: start within ~3 × a bare Node, `status` within ~1 s on an idle machine. */
const MAX_START_RATIO = 3;
const MAX_STATUS_MS = 1000;

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin', 'polywire.mjs');
const runTs = join(root, 'bin', 'run-ts.mjs');
const tsMain = join(root, 'cli', 'main.ts');

/**
 * One fresh process, timed from spawn to exit. Asynchronous: the local stack's emulators run in
 * this process and must go on answering the `status` child.
 */
function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.split('\n')[0]}`));
    });
  });
}

export const run: Benchmark = async ({ quick, log }) => {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build-cli.mjs failed: ${build.stderr.split('\n')[0]}`);

  const dataDir = mkdtempSync(join(root, 'bench', '.work', 'cli-stack-'));
  const noop = async () => undefined;
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({ dataDir, port: 0, handlers: { ingest: noop, translate: noop, publish: noop, deliver: noop } });
    const cases: { name: string; args: string[] }[] = [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: 'polywire --version', args: [bin, '--version'] },
      { name: 'polywire --help', args: [bin, '--help'] },
      { name: 'polywire status', args: [bin, 'status', '--data-dir', dataDir] },
      { name: 'tsx: polywire --version', args: [runTs, tsMain, '--version'] },
      { name: 'tsx: polywire status', args: [runTs, tsMain, 'status', '--data-dir', dataDir] },
    ];
    // One warm-up round (file cache), not counted.
    for (const c of cases) await timeProcess(c.args);
    const rounds = quick ? 5 : 15;
    const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
    for (let i = 0; i < rounds; i++) for (const c of cases) samples.get(c.name)!.push(await timeProcess(c.args));
    log(`${rounds} interleaved rounds`);

    const medianOf = (name: string) => median(samples.get(name)!);
    const node = medianOf('node -e 0');
    const ratio = (name: string) => round(medianOf(name) / node, 2);
    const goals: Goal[] = [
      ...['polywire --version', 'polywire --help'].map((name) => ({
        text: `${name} within ${MAX_START_RATIO} × node -e 0`,
        met: ratio(name) <= MAX_START_RATIO,
        measured: `${ratio(name)} × (${round(medianOf(name), 0)} ms vs ${round(node, 0)} ms)`,
      })),
      {
        text: `polywire status within ${MAX_STATUS_MS} ms (idle machine)`,
        met: medianOf('polywire status') <= MAX_STATUS_MS,
        measured: `${round(medianOf('polywire status'), 0)} ms, ${ratio('polywire status')} × node -e 0`,
      },
    ];
    return {
      id: 'cli',
      title: 'CLI start-up',
      method: `Medians of ${rounds} interleaved rounds of fresh processes (spawned one at a time, output piped); status reads a running local stack with an empty table through its stack file. Ratios are to node -e 0 in the same rounds.`,
      goals,
      figures: cases.map((c) => ({ name: c.name, value: round(medianOf(c.name), 1), unit: 'ms', display: `${round(medianOf(c.name), 0)} ms (${ratio(c.name)} × node -e 0)` })),
      table: [['command', 'median ms', '× node -e 0'], ...cases.map((c) => [c.name, String(round(medianOf(c.name), 0)), String(ratio(c.name))])],
      notes: [
        'The load average of the run is in the report header: on the shared 2-core machine the absolute times move with the neighbours, the ratios much less.',
        '`polywire start` keeps running from the TypeScript sources through tsx (it loads the Lambda handlers from their sources), so it is not measured here.',
      ],
    };
  } finally {
    await stack?.close(1000);
    rmSync(dataDir, { recursive: true, force: true });
  }
};
