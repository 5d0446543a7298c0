/**
 * A CPU profile of this process (the V8 sampling profiler through `node:inspector`, what
 * `node --cpu-prof` writes), summarized by where the code lives: each pipeline stage's handler
 * and core modules, the AWS SDK, the emulators, the local queue service and runner, Node itself.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Components in the order they are matched: the first pattern that matches a frame's URL wins. */
const COMPONENTS: [string, RegExp][] = [
  ['ingest (handler, core, parsers)', /functions\/(ingest\/|core\/pipeline\/(ingest|s3-events|versioning|pictures)\.ts|core\/parse\/|adapters\/sharp\/)/],
  ['translate (handler, core, engine, QA)', /functions\/(translate\/|core\/pipeline\/(translate|qa-step)\.ts|core\/translation\/|core\/qa\/|adapters\/(pseudo|dynamodb\/translation-memory))/],
  ['publish (handler, core, renderers)', /functions\/(publish\/|core\/pipeline\/(publish|feed-archive)\.ts|core\/publish\/|core\/render\/|adapters\/dynamodb\/(feed-index|feed-archive))/],
  ['deliver (webhooks)', /functions\/(deliver\/|core\/webhooks\/|adapters\/webhook\/)/],
  ['other polywire code (shared, adapters, core)', /\/functions\//],
  ['AWS SDK and Powertools', /node_modules\/(@aws-sdk|@smithy|@aws-lambda-powertools|@aws-crypto|fast-xml-parser)/],
  ['emulators (s3rver, dynalite, LevelDB)', /node_modules\/(s3rver|dynalite|koa|levelup|leveldown|memdown|abstract-leveldown|encoding-down|subleveldown|lazy|big\.js|xmlbuilder|@koa)/],
  ['local SQS and queue runner', /infra\/local\//],
  ['other libraries', /node_modules\//],
  ['Node.js internals', /^node:|^internal\//],
];

/** Starts profiling; `stop()` returns self time per component in ms, largest first. */
export async function startCpuProfile(samplingIntervalUs = 1000): Promise<{ stop(): Promise<{ component: string; ms: number }[]> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
      session.disconnect();
      return summarize(profile);
    },
  };
}

/** Self time per component: each sample is charged to the frame it landed in. */
export function summarize(profile: Profile): { component: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const component = componentOf(node.callFrame);
    totals.set(component, (totals.get(component) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...totals].map(([component, ms]) => ({ component, ms })).sort((a, b) => b.ms - a.ms);
}

function componentOf(frame: { functionName: string; url: string }): string {
  if (frame.url === '') {
    // V8's own pseudo-frames: (idle), (garbage collector), (program).
    if (frame.functionName === '(idle)') return 'idle (waiting for I/O)';
    if (frame.functionName === '(garbage collector)') return 'garbage collection';
    return 'V8 and native code (program, builtins)';
  }
  for (const [name, pattern] of COMPONENTS) if (pattern.test(frame.url)) return name;
  return 'other';
}
