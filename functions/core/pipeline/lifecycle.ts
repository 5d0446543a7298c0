/**
 * Lifecycle stage: the lift of a held (embargoed or scheduled) release and the withdrawal of a
 * release, both as jobs on the lifecycle queue (standard, so a lift can be delayed to its second).
 *
 * The lift message arrives seconds before its instant; the stage waits for the instant with a
 * timer, marks the release public, then sends one publish `lift` job naming every ready language
 * of the latest version (languages still translating publish when they are done: the gate in
 * publish lets them through once the record says public). A withdrawal marks the release withdrawn, then sends one
 * publish `withdraw` job per language that was ever public. Both are idempotent: the record's
 * transitions are conditional, and the jobs they send are safe to repeat.
 */
import { InputError } from '../errors';
import { liftDelaySeconds, MAX_LIFT_WAIT_MS, type LifecycleJob, type LiftJob, type WithdrawJob } from '../lifecycle';
import type { Clock, JobQueue, LifecycleStore, ReleaseRepository, StageLogger } from '../../ports';
import { silentLogger } from './deps';
import { publishMessage, translateMessage, translateQueueOf, type TranslateQueues } from './jobs';

export interface LifecycleStageDeps extends TranslateQueues {
  repository: ReleaseRepository;
  lifecycle: LifecycleStore;
  /** The lifecycle queue itself: a lift that arrives early is delayed again on it. */
  lifecycleQueue: JobQueue;
  publishQueue: JobQueue;
  /** False: held releases were not translated ahead (data-use setting); the lift starts them. */
  translateAhead: boolean;
  clock: Clock;
  /** Waits `ms` (a timer; tests advance a fake clock). Default: `setTimeout`. */
  wait?: (ms: number) => Promise<void>;
  logger?: StageLogger;
}

const timerWait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type LifecycleOutcome =
  | { kind: 'not-due'; releaseId: string; delaySeconds: number }
  | { kind: 'lifted'; releaseId: string; version: number; publishJobs: number; translateJobs: number }
  | { kind: 'withdrawn'; releaseId: string; languages: string[]; already: boolean }
  | { kind: 'skipped'; releaseId: string; reason: string };

/**
 * Runs one lifecycle job.
 *
 * @throws InputError for a withdrawal of an unknown release (reported, never retried);
 *   storage and queue failures propagate so the message is retried.
 */
export async function lifecycleJob(deps: LifecycleStageDeps, job: LifecycleJob): Promise<LifecycleOutcome> {
  return job.kind === 'lift' ? liftRelease(deps, job) : withdrawRelease(deps, job);
}

async function liftRelease(deps: LifecycleStageDeps, job: LiftJob): Promise<LifecycleOutcome> {
  const logger = deps.logger ?? silentLogger;
  let now = deps.clock.now();
  const { releaseId } = job;
  // Never early: the scheduler fires two minutes ahead, SQS delays are capped at 15 min, and
  // every lift message is timed to arrive a little before its instant (LIFT_EARLY_SECONDS).
  if (job.until !== undefined && Date.parse(job.until) - now.getTime() > MAX_LIFT_WAIT_MS) {
    const delaySeconds = Math.max(1, liftDelaySeconds(job.until, now));
    await deps.lifecycleQueue.send([{ body: job, delaySeconds }]);
    return { kind: 'not-due', releaseId, delaySeconds };
  }
  // Within seconds of the instant: wake exactly at it with a timer instead of another queue hop.
  // The variants are listed only after the lift is recorded: a language finishing meanwhile is
  // either in that list or published by its own job, which then finds the release public.
  while (job.until !== undefined && now.getTime() < Date.parse(job.until)) {
    await (deps.wait ?? timerWait)(Date.parse(job.until) - now.getTime());
    now = deps.clock.now();
  }
  const lifted = await deps.lifecycle.lift(releaseId, now, job.until);
  const record = await deps.lifecycle.get(releaseId);
  // Not lifted by this call: a stale lift (rescheduled), withdrawn, or never held. A lift that
  // already happened is re-driven below (the message may be a redelivery after a crash).
  if (!lifted && record?.state !== 'public') {
    return { kind: 'skipped', releaseId, reason: `release is ${record?.state ?? 'not held'}${job.until ? ` (lift for ${job.until})` : ''}` };
  }
  const meta = await deps.repository.getRelease(releaseId);
  if (!meta) return { kind: 'skipped', releaseId, reason: 'release unknown' };
  const version = meta.latestVersion;
  const variants = await deps.repository.listVariants(releaseId, version);
  const liftTag = `lift${(record?.liftedAt ?? now.toISOString()).replace(/[^0-9]/g, '')}`;
  const ready = variants.filter((v) => v.status === 'translated');
  // One job for every ready language: the publish stage writes them in one invocation, in
  // parallel, and renders the feeds and the root pages once for all (not once per language).
  if (ready.length > 0) {
    await deps.publishQueue.send([publishMessage({ kind: 'lift', releaseId, version, languages: ready.map((v) => v.language) }, liftTag)]);
  }
  const pending = deps.translateAhead ? [] : variants.filter((v) => v.status === 'pending');
  if (pending.length > 0) {
    // The lane ingest chose for the version (a bulk release's jobs must not fill the shared batches).
    const lane = (await deps.repository.getVersion(releaseId, version))?.lane;
    await translateQueueOf(deps, lane).send(pending.map((v) => translateMessage({ releaseId, version, language: v.language })));
  }
  logger.info('release lifted', { releaseId, version, ready: ready.length, translating: variants.length - ready.length });
  return { kind: 'lifted', releaseId, version, publishJobs: ready.length, translateJobs: pending.length };
}

async function withdrawRelease(deps: LifecycleStageDeps, job: WithdrawJob): Promise<LifecycleOutcome> {
  const logger = deps.logger ?? silentLogger;
  const { releaseId } = job;
  const meta = await deps.repository.getRelease(releaseId);
  if (!meta) {
    throw new InputError('RELEASE_UNKNOWN', `cannot withdraw ${releaseId}: there is no such release`, { field: 'id' }, 'check the id with `polywire status` (release ids are the URL slugs, e.g. acme-launch)');
  }
  const changed = await deps.lifecycle.withdraw(releaseId, job.reason, deps.clock.now());
  // Every language that was ever public gets its notice; re-sent on a repeat (idempotent jobs),
  // so a crash between the record and the jobs cannot leave a page up. A release that was ever
  // under embargo may have reached trusted subscribers early (`release.embargoed`) in languages
  // that never became public: those get a withdrawal job too, which only tells those recipients.
  const record = await deps.lifecycle.get(releaseId);
  const languages = new Set<string>();
  for (const version of await deps.repository.listVersions(releaseId)) for (const language of version.languages) languages.add(language);
  const published: string[] = [];
  const neverPublic: string[] = [];
  for (const language of languages) {
    if (await deps.repository.getPublication(releaseId, language)) published.push(language);
    else if (record?.hold?.kind === 'embargo') neverPublic.push(language);
  }
  await deps.publishQueue.send([...published, ...neverPublic].map((language) => publishMessage({ kind: 'withdraw', releaseId, version: meta.latestVersion, language }, 'withdraw')));
  logger.info(changed ? 'release withdrawn' : 'release already withdrawn; notices re-driven', { releaseId, languages: published, requestedBy: job.requestedBy });
  return { kind: 'withdrawn', releaseId, languages: published, already: !changed };
}
