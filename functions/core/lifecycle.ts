/**
 * The editorial lifecycle of a release: held (embargoed or scheduled) → public → withdrawn.
 * Pure: the instants come from the release and the stored lifecycle record, `now` from the caller.
 * The rule for every renderer, feed and webhook is {@link publicationState}; the pipeline stores
 * the record through the `LifecycleStore` port (functions/ports.ts). See docs/lifecycle.md.
 */
import * as z from 'zod/mini';
import { builtOnFirstUse } from './first-use';
import { ReleaseIdSchema, type Release } from './release';

/** `embargo`: a hold embargo subscribers may see early; `schedule`: a hold nobody sees early. */
export type HoldKind = 'embargo' | 'schedule';

export interface Hold {
  kind: HoldKind;
  /** ISO instant (UTC, `Z`) at which the release becomes public. */
  until: string;
}

/**
 * The hold a release declares that is still ahead of `now`, or undefined. With both an embargo
 * and a `publishAt`, the later instant holds; its kind is `embargo` when the embargo is the later
 * one (or they are equal), so embargo subscribers still get it early.
 */
export function holdOf(release: Pick<Release, 'embargo' | 'publishAt'>, now: Date): Hold | undefined {
  const embargo = release.embargo ? Date.parse(release.embargo.until) : undefined;
  const schedule = release.publishAt ? Date.parse(release.publishAt) : undefined;
  let hold: { kind: HoldKind; at: number } | undefined;
  if (embargo !== undefined) hold = { kind: 'embargo', at: embargo };
  if (schedule !== undefined && (hold === undefined || schedule > hold.at)) hold = { kind: 'schedule', at: schedule };
  if (!hold || hold.at <= now.getTime()) return undefined;
  return { kind: hold.kind, until: new Date(hold.at).toISOString() };
}

/**
 * What the pipeline remembers about a release's lifecycle (one item per release). Absent for a
 * release that was never held nor withdrawn: it is public as soon as a language is ready.
 */
export interface LifecycleRecord {
  releaseId: string;
  state: 'held' | 'public' | 'withdrawn';
  /** While held (kept after the lift for the record). */
  hold?: Hold;
  /** When the hold was lifted (the publication time of every language ready then). */
  liftedAt?: string;
  withdrawnAt?: string;
  withdrawnReason?: string;
  updatedAt: string;
}

/** IPTC `pubStatus` (ninjs, NewsML-G2 `stat:`), and why. */
export type PublicationState = { pubStatus: 'usable'; since?: string } | { pubStatus: 'withheld'; hold: Hold } | { pubStatus: 'canceled'; withdrawnAt: string; reason: string };

/**
 * The one rule of what may be public about a release right now.
 *  - withdrawn: `canceled` forever (a later upload does not bring it back; see docs/lifecycle.md);
 *  - held and not lifted: `withheld` until the lift message arrives — even when the instant has
 *    passed, because the lift (not a reader's clock) makes every language public together;
 *  - no record: the release's own embargo/publishAt still ahead of `now` is `withheld` (fail
 *    closed: a record that was not written yet must not leak the release), else `usable`.
 *
 * @example
 * publicationState(release, undefined, new Date()) // { pubStatus: 'usable' } for a release without a hold
 */
export function publicationState(release: Pick<Release, 'embargo' | 'publishAt'>, record: LifecycleRecord | undefined, now: Date): PublicationState {
  if (record?.state === 'withdrawn') {
    return { pubStatus: 'canceled', withdrawnAt: record.withdrawnAt ?? record.updatedAt, reason: record.withdrawnReason ?? '' };
  }
  if (record?.state === 'held' && record.hold) return { pubStatus: 'withheld', hold: record.hold };
  if (record?.state === 'public') return { pubStatus: 'usable', ...(record.liftedAt ? { since: record.liftedAt } : {}) };
  const hold = holdOf(release, now);
  return hold ? { pubStatus: 'withheld', hold } : { pubStatus: 'usable' };
}

/**
 * The publication time of one language (the date rule): the lift for a language that was ready
 * at the lift, else the moment that language itself became public. The issuer's own date
 * (`release.date`, the dateline) is shown as written, never used as the publication time.
 */
export function publicationTime(record: LifecycleRecord | undefined, readyAt: string | undefined, now: string): string {
  if (record?.state === 'public' && record.liftedAt && readyAt !== undefined && Date.parse(readyAt) <= Date.parse(record.liftedAt)) {
    return record.liftedAt;
  }
  return now;
}

/**
 * The date rule for one rendering outside the pipeline (`polywire render`): a release made public
 * at `madePublicAt` (the upload, or what stands for it) is published then, unless it declares a
 * hold still ahead at that moment, which the lift ends at its instant. The issuer's own date
 * (`release.date`, the dateline) is never the publication time.
 *
 * @example
 * publicationTimeAt({ embargo: undefined, publishAt: undefined }, '2026-11-26T09:00:00Z') // '2026-11-26T09:00:00.000Z'
 */
export function publicationTimeAt(release: Pick<Release, 'embargo' | 'publishAt'>, madePublicAt: string): string {
  const at = new Date(madePublicAt);
  return holdOf(release, at)?.until ?? at.toISOString();
}

/** One line for `polywire status`: embargoed (until), scheduled (for), published, withdrawn (when, why). */
export function formatLifecycle(record: LifecycleRecord | undefined): string {
  if (!record) return 'published when ready (no embargo or schedule)';
  switch (record.state) {
    case 'held':
      return record.hold?.kind === 'schedule' ? `scheduled for ${record.hold.until}` : `embargoed until ${record.hold?.until ?? '?'}`;
    case 'public':
      return `published (lifted ${record.liftedAt ?? '?'}${record.hold ? `, ${record.hold.kind === 'schedule' ? 'scheduled for' : 'embargoed until'} ${record.hold.until}` : ''})`;
    case 'withdrawn':
      return `withdrawn ${record.withdrawnAt ?? record.updatedAt}: ${record.withdrawnReason ?? ''}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Jobs on the lifecycle queue (standard; lift messages may be delayed)

export const LiftJobSchema = builtOnFirstUse(() =>
  z.object({
    kind: z.literal('lift'),
    releaseId: ReleaseIdSchema,
    /** The hold instant this lift was scheduled for; absent: lift now (`polywire lift`, an upload without the hold). */
    until: z.optional(z.iso.datetime({ offset: true })),
  }),
);
export type LiftJob = z.infer<typeof LiftJobSchema>;

export const WithdrawJobSchema = builtOnFirstUse(() =>
  z.object({
    kind: z.literal('withdraw'),
    releaseId: ReleaseIdSchema,
    reason: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(2000)),
    /** Who asked (for the log): `cli`, or the control file's key. */
    requestedBy: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(1024))),
  }),
);
export type WithdrawJob = z.infer<typeof WithdrawJobSchema>;

export const LifecycleJobSchema = builtOnFirstUse(() => z.discriminatedUnion('kind', [LiftJobSchema, WithdrawJobSchema]));
export type LifecycleJob = z.infer<typeof LifecycleJobSchema>;

/** SQS's per-message delay limit (seconds). */
export const MAX_DELAY_SECONDS = 900;

/**
 * A lift message is timed to arrive this long before its instant, and the lifecycle stage then
 * waits for the instant itself with a timer: SQS delays are whole seconds and a poller adds its
 * own latency, so a message timed for the instant would arrive up to a second or more after it.
 */
export const LIFT_EARLY_SECONDS = 2;

/** The longest the lifecycle stage waits in-process for an instant; an earlier lift is delayed again on the queue. */
export const MAX_LIFT_WAIT_MS = (LIFT_EARLY_SECONDS + 2) * 1000;

/**
 * The delay (whole seconds, ≤ 900) for a lift message to arrive {@link LIFT_EARLY_SECONDS} to one
 * second more before its instant (rounded down, never after it); a longer wait is covered by
 * re-delaying on arrival.
 */
export function liftDelaySeconds(until: string, now: Date): number {
  const wait = Date.parse(until) - now.getTime() - LIFT_EARLY_SECONDS * 1000;
  return Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.floor(wait / 1000)));
}

// ---------------------------------------------------------------------------------------------
// The withdrawal control file: `incoming/<anything>.withdraw.json` with {"id", "reason"}

/** The suffix that marks an upload as a withdrawal request, never a release. */
export const WITHDRAW_CONTROL_SUFFIX = '.withdraw.json';

export const WithdrawControlSchema = builtOnFirstUse(() =>
  z.strictObject({
    id: ReleaseIdSchema,
    reason: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(2000)),
  }),
);

export function isWithdrawControlKey(key: string): boolean {
  return key.toLowerCase().endsWith(WITHDRAW_CONTROL_SUFFIX);
}
