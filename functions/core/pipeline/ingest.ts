/**
 * Ingest: one uploaded object → a release version (or a human translation, or a rejection),
 * its variant records, and one translate job per planned language.
 *
 * Idempotent at every step: the source-key record drops duplicate and older S3 events; the
 * release's META item assigns versions by conditional write (a lost race throws and the message
 * is retried); every other write is either conditional-if-absent or rewrites the same bytes.
 */
import * as z from 'zod/mini';
import { ConfigError, InputError, isInputError } from '../errors';
import { holdOf, isWithdrawControlKey, WithdrawControlSchema, type WithdrawJob } from '../lifecycle';
import { normalizeLanguageTag } from '../languages';
import { deriveReleaseId, keyedReleaseId, parseRelease, parseReleaseWithMedia, splitTranslationName } from '../parse';
import { contentOf, type Release } from '../release';
import { resolveTargets } from '../translation/targets';
import { ConcurrentUpdateError, type ImageProcessor, type JobQueue, type LifecycleStore, type LiftScheduler, type SourceStatus } from '../../ports';
import { resolvePictures } from './pictures';
import { silentLogger, writeJson, type StageDeps } from './deps';
import { translateLaneOf, translateMessage, translateQueueOf, type TranslateQueues } from './jobs';
import { objectKeys } from './keys';
import { INCOMING_PREFIX, normalizeSequencer, type ObjectCreatedEvent } from './s3-events';
import { decideVersion } from './versioning';

export interface IngestDeps extends StageDeps, TranslateQueues {
  /** The deployment's default target languages. */
  targetLanguages: readonly string[];
  /** How long a claimed event blocks other deliveries of it; default {@link SOURCE_LEASE_MS}. */
  leaseMs?: number;
  /** Embargo/schedule/withdrawal state; required once an upload holds or withdraws a release. */
  lifecycle?: LifecycleStore;
  /** Arranges the lift of a held release (and sends `lift now` when an upload drops the hold). */
  scheduler?: LiftScheduler;
  /** The lifecycle queue: withdrawal control files become withdraw jobs on it. */
  lifecycleQueue?: JobQueue;
  /** Data-use setting: translate held releases ahead (default) or only at the lift. */
  translateAhead?: boolean;
  /** Checks pictures and builds their renditions; without it pictures are left out with a warning. */
  images?: ImageProcessor;
}

/** Pictures uploaded beside a release are read by the release's picture step, not ingested. */
const PICTURE_FILE = /\.(?:jpe?g|png|gif|webp|avif)$/i;

/**
 * Lease of a claimed S3 event: longer than an ingest invocation may run, shorter than the
 * queue's visibility timeout, so the redelivery after a crash finds it expired.
 */
export const SOURCE_LEASE_MS = 2 * 60_000;

/** Added to a remaining lease before a retry, so the retry does not arrive a hair too early. */
const LEASE_MARGIN_MS = 1_000;

export type IngestOutcome =
  /** A newer event for the key was already seen: this older one is dropped. */
  | { kind: 'older'; key: string }
  /** This exact event was already processed. */
  | { kind: 'duplicate-event'; key: string }
  /** The object no longer exists (deleted before it was processed). */
  | { kind: 'gone'; key: string }
  /** A picture uploaded beside a release (`incoming/…/logo.png`): kept for the release that refers to it. */
  | { kind: 'picture-file'; key: string }
  | { kind: 'rejected'; key: string; error: InputError }
  | {
      kind: 'release';
      key: string;
      releaseId: string;
      version: number;
      decision: 'new' | 'duplicate' | 'stale';
      languages: string[];
    }
  /** A withdrawal control file (`*.withdraw.json`): a withdraw job was queued. */
  | { kind: 'withdraw-request'; key: string; releaseId: string }
  | {
      kind: 'translation';
      key: string;
      releaseId: string;
      language: string;
      retranslatedVersion?: number;
      /** The base release's key, when it has not been uploaded yet: the source is `awaiting-base`. */
      awaitingBase?: string;
    };

/**
 * Processes one object-created event.
 *
 * @throws for anything that is not the upload's fault (storage, database, a lost version race):
 * the caller reports the message as failed and SQS delivers it again.
 */
export async function ingestObject(deps: IngestDeps, event: ObjectCreatedEvent): Promise<IngestOutcome> {
  const { repository, uploads } = deps;
  const logger = deps.logger ?? silentLogger;
  const { key, sequencer } = event;
  const claim = await repository.claimSource(key, sequencer, deps.clock.now(), deps.leaseMs ?? SOURCE_LEASE_MS);
  if (claim === 'older') return { kind: 'older', key };
  if (claim === 'duplicate') return { kind: 'duplicate-event', key };
  if (claim === 'in-progress') {
    // Retrying before the lease runs out only meets the lease again: say how long to wait, so the
    // queue hides the message that long instead of spending its receives (and dead-lettering it).
    const leaseMs = deps.leaseMs ?? SOURCE_LEASE_MS;
    const claimedAt = Date.parse((await repository.getSource(key))?.claimedAt ?? '');
    const remainingMs = Number.isNaN(claimedAt) ? leaseMs : Math.max(0, claimedAt + leaseMs - deps.clock.now().getTime());
    throw new ConcurrentUpdateError(`${key}: another delivery of this event is being processed; retrying after its lease`, {
      retryAfterMs: remainingMs + LEASE_MARGIN_MS,
    });
  }

  const complete = (status: SourceStatus, extra: { releaseId?: string; version?: number; error?: Record<string, unknown> } = {}) =>
    repository.completeSource({ key, sequencer, status, ...extra, updatedAt: deps.clock.now().toISOString() });

  const object = await uploads.get(key);
  if (!object) {
    await complete('gone');
    return { kind: 'gone', key };
  }

  if (PICTURE_FILE.test(key)) {
    await complete('processed');
    return { kind: 'picture-file', key };
  }

  let outcome: IngestOutcome;
  try {
    const translation = isWithdrawControlKey(key) ? undefined : splitTranslationName(key);
    outcome = isWithdrawControlKey(key)
      ? await ingestWithdrawControl(deps, key, object.body)
      : translation
        ? await ingestTranslation(deps, key, object.body, translation)
        : await ingestRelease(deps, key, sequencer, object.body);
  } catch (error) {
    if (!isInputError(error)) {
      // This attempt is over: its retry (a lost version race, a storage error) must not wait out
      // the lease this attempt held, or a quick second upload of the key ends dead-lettered.
      await repository.releaseClaim(key, sequencer).catch(() => undefined);
      throw error;
    }
    await quarantine(deps, key, error);
    await complete('rejected', { error: error.toJSON() });
    // A parser failing in a way no limit foresaw: the upload is refused like any bad input, and
    // the original exception's stack goes to the log for whoever fixes the parser.
    const cause = error.code === 'UNREADABLE_UPLOAD' && error.cause instanceof Error ? { cause: { name: error.cause.name, message: error.cause.message, stack: error.cause.stack } } : {};
    logger.warn('upload rejected', { key, error: error.toJSON(), ...cause });
    return { kind: 'rejected', key, error };
  }

  if (outcome.kind === 'release') {
    const status: SourceStatus = outcome.decision === 'new' ? 'processed' : outcome.decision;
    await complete(status, { releaseId: outcome.releaseId, version: outcome.version });
  } else if (outcome.kind === 'translation' && outcome.awaitingBase !== undefined) {
    const waiting = awaitingBaseError(key, outcome.awaitingBase, outcome.language);
    await complete('awaiting-base', { releaseId: outcome.releaseId, error: waiting.toJSON() });
    // A base ingested meanwhile may have looked for waiting translations before this record
    // said so; it has then stored its META already, and this read sees it.
    if (await repository.getRelease(outcome.releaseId)) {
      await complete('processed', { releaseId: outcome.releaseId });
      const { awaitingBase: _attached, ...attached } = outcome;
      outcome = attached;
    } else {
      logger.warn('translation awaits its base release', { key, base: outcome.awaitingBase, language: outcome.language });
    }
  } else if (outcome.kind === 'translation' || outcome.kind === 'withdraw-request') {
    await complete('processed', { releaseId: outcome.releaseId });
  }
  logger.info('upload ingested', { ...outcome });
  return outcome;
}

/**
 * Why a file named like a translation (`pressemitteilung.de.txt`) is waiting, and the two ways
 * out: it may really be a release of its own whose name happens to end in a language tag.
 */
function awaitingBaseError(key: string, baseKey: string, language: string): InputError {
  const baseName = baseKey.startsWith(INCOMING_PREFIX) ? baseKey.slice(INCOMING_PREFIX.length) : baseKey;
  return new InputError(
    'BASE_RELEASE_MISSING',
    `stored as the ${language} translation of ${baseName}, which has not been uploaded`,
    { file: key },
    `upload the base release, or rename the file without the .${language} suffix if this is a release of its own`,
  );
}

/**
 * Marks the translations that were uploaded before this release (`awaiting-base`) as processed:
 * the translate stage reads them for this version. Finds their keys through the stored
 * translations' `source-key` metadata.
 */
async function attachWaitingTranslations(deps: IngestDeps, releaseId: string): Promise<Set<string>> {
  const { repository, uploads } = deps;
  const prefix = objectKeys.translationsPrefix(releaseId);
  const languages = new Set<string>();
  for await (const storedKey of uploads.list(prefix)) {
    if (storedKey.endsWith('.json')) languages.add(storedKey.slice(prefix.length, -'.json'.length));
    const encoded = (await uploads.head(storedKey))?.metadata[SOURCE_KEY_METADATA];
    if (encoded === undefined) continue;
    const source = await repository.getSource(decodeURIComponent(encoded));
    if (source?.status !== 'awaiting-base') continue;
    const { error: _waiting, ...rest } = source;
    await repository.completeSource({ ...rest, status: 'processed', releaseId, updatedAt: deps.clock.now().toISOString() });
  }
  return languages;
}

/** Object metadata of a stored translation naming its upload (URI-encoded: metadata is ASCII). */
const SOURCE_KEY_METADATA = 'source-key';

/** Copies a rejected upload to `quarantine/` and writes the error beside it, saying what to fix. */
async function quarantine(deps: IngestDeps, key: string, error: InputError): Promise<void> {
  const target = objectKeys.quarantine(key);
  await deps.uploads.copy(key, target.copy);
  await writeJson(deps.uploads, target.error, {
    key,
    rejectedAt: deps.clock.now().toISOString(),
    error: error.toJSON(),
    message: error.message,
  });
}

async function ingestRelease(deps: IngestDeps, key: string, sequencer: string, bytes: Uint8Array): Promise<IngestOutcome> {
  const { repository, uploads } = deps;
  const { release: unresolved, media } = await parseReleaseWithMedia({ name: key, bytes });
  const withPictures = await resolvePictures(deps, unresolved, media, key);
  const logger = deps.logger ?? silentLogger;
  if (withPictures.warnings?.length) logger.warn('release warnings', { key, warnings: withPictures.warnings });
  const releaseId = await resolveReleaseId(deps, key, withPictures);
  const parsed: Release = { ...withPictures, id: releaseId };
  const now = deps.clock.now().toISOString();
  const sourceLanguage = normalizeLanguageTag(parsed.language);
  // Rejects unsupported targets before any state changes.
  const targets = resolveTargets(parsed, deps.targetLanguages);

  const meta = await repository.getRelease(releaseId);
  const decision = decideVersion(meta && { version: meta.latestVersion, sha256: meta.latestSha256 }, {
    sha256: parsed.source.sha256,
    ...declaredVersionOf(parsed),
  });
  if (decision.kind === 'stale') {
    return { kind: 'release', key, releaseId, version: decision.declaredVersion, decision: 'stale', languages: [] };
  }
  const version = decision.version;
  if (decision.kind === 'new') {
    const advanced = await repository.advanceRelease(
      {
        releaseId,
        latestVersion: version,
        latestSha256: parsed.source.sha256,
        sourceLanguage,
        headline: parsed.headline,
        createdAt: meta?.createdAt ?? now,
        updatedAt: now,
        sourceKey: key,
        sourceSequencer: normalizeSequencer(sequencer),
      },
      meta?.latestVersion,
    );
    // A newer event of this key finished while this one read the older bytes: its content is
    // the latest, and this one must not become a version after it.
    if (advanced === 'newer-source') {
      return { kind: 'release', key, releaseId, version: meta?.latestVersion ?? version, decision: 'stale', languages: [] };
    }
  }

  // Human translations uploaded beside the release are read by the translate stage, per language.
  const release: Release = { ...parsed, version, language: sourceLanguage };
  await writeJson(uploads, objectKeys.release(releaseId, version), release);

  const lane = translateLaneOf(release);
  await repository.putVersion({
    releaseId,
    version,
    sha256: parsed.source.sha256,
    sourceKey: key,
    sourceLanguage,
    languages: [sourceLanguage, ...targets],
    ...(lane === 'bulk' ? { lane } : {}),
    createdAt: now,
  });
  // A duplicate re-drives the version as first planned, even if the defaults changed since.
  const planned = await repository.getVersion(releaseId, version);
  const languages = planned?.languages ?? [sourceLanguage, ...targets];
  // Listed after the version is recorded: a translation stored later finds the version and sends
  // its own forced translate job, so the translate jobs need not look up what is absent now.
  const [humanTranslations, glossary] = await Promise.all([attachWaitingTranslations(deps, releaseId), uploads.head(objectKeys.glossary())]);
  for (const language of languages) {
    const inputs = { humanTranslation: humanTranslations.has(language), glossary: glossary !== undefined };
    await repository.ensureVariant({ releaseId, version, language, status: 'pending', inputs, updatedAt: now });
  }
  // Recorded before any translate job exists, so no variant can reach publish unheld.
  const lifecycle = await applyHold(deps, release);
  if (lifecycle === 'withdrawn') {
    // Withdrawn is final: the version is kept for the record but never translated or published.
    deps.logger?.warn('upload of a withdrawn release recorded, not published', { key, releaseId, version });
    return { kind: 'release', key, releaseId, version, decision: decision.kind, languages: [] };
  }
  if (lifecycle !== 'held' || deps.translateAhead !== false) {
    // A duplicate keeps the lane its version was given.
    await translateQueueOf(deps, planned ? planned.lane : lane).send(languages.map((language) => translateMessage({ releaseId, version, language })));
  }
  return { kind: 'release', key, releaseId, version, decision: decision.kind, languages };
}

/**
 * Which release an upload belongs to. Two different sources never share a release unless the
 * issuer says so, by uploading under the same key or by declaring the same id:
 * - an id from the file name: the same key continues the release it made before (whatever id it
 *   was given); a new key gets the name's id unless a release from another key already has it,
 *   then the name's id plus a hash of the whole key (`news-3f2c1a9b0d`);
 * - a declared id (front matter or JSON `id`, ninjs `uri`): the release of that id, if the release
 *   comes from the same folder (an issuer correcting its own release, under a new file name);
 *   a claim on a release from another folder is refused as `RELEASE_ID_CONFLICT` and shown by
 *   `polywire status`, never published as a "correction" of someone else's release.
 * See docs/release-identity.md.
 */
async function resolveReleaseId(deps: IngestDeps, key: string, parsed: Release): Promise<string> {
  const { repository } = deps;
  const nameId = deriveReleaseId(key);
  if (parsed.id === nameId) {
    const previous = (await repository.getSource(key))?.releaseId;
    if (previous !== undefined) return previous;
    const owner = await repository.getRelease(nameId);
    // A release stored before source keys were recorded counts as this key's (ids keep working).
    if (owner?.sourceKey === undefined || owner.sourceKey === key) return nameId;
    return keyedReleaseId(key);
  }
  const owner = await repository.getRelease(parsed.id);
  if (owner?.sourceKey === undefined || owner.sourceKey === key || folderOf(owner.sourceKey) === folderOf(key)) return parsed.id;
  throw new InputError(
    'RELEASE_ID_CONFLICT',
    `the upload declares the id ${parsed.id}, which belongs to a release uploaded as ${owner.sourceKey} from another folder`,
    { file: key, field: parsed.source.format === 'ninjs' ? 'uri' : 'id' },
    `if this is a correction of that release, upload it into the same folder as ${owner.sourceKey}; otherwise give it an id of its own`,
  );
}

/** The folder part of an object key (`incoming/acme/news.md` → `incoming/acme/`). */
const folderOf = (key: string): string => key.slice(0, key.lastIndexOf('/') + 1);

/**
 * Records the release's hold and schedules its lift (a new instant reschedules: the lift for the
 * old one finds the hold changed and does nothing); an upload without a hold lifts a held
 * release now. Returns the lifecycle state after the upload.
 */
async function applyHold(deps: IngestDeps, release: Release): Promise<'none' | 'held' | 'public' | 'withdrawn'> {
  const now = deps.clock.now();
  const hold = holdOf(release, now);
  if (!deps.lifecycle || !deps.scheduler) {
    if (hold) throw new ConfigError(`release ${release.id} is held until ${hold.until}, but this deployment has no lifecycle store or lift scheduler configured`);
    return 'none';
  }
  const current = await deps.lifecycle.get(release.id);
  if (current?.state === 'withdrawn') return 'withdrawn';
  if (hold) {
    const record = await deps.lifecycle.hold(release.id, hold, now);
    if (record.state === 'held') await deps.scheduler.schedule({ kind: 'lift', releaseId: release.id, until: hold.until });
    return record.state;
  }
  if (current?.state === 'held') {
    await deps.scheduler.schedule({ kind: 'lift', releaseId: release.id });
    return 'held';
  }
  return current?.state ?? 'none';
}

/**
 * A withdrawal control file: `{"id": "<release-id>", "reason": "<text>"}` named `*.withdraw.json`.
 * Checked here (bad JSON, unknown id: rejected with the reason, like a bad release), then queued.
 */
async function ingestWithdrawControl(deps: IngestDeps, key: string, bytes: Uint8Array): Promise<IngestOutcome> {
  const location = { file: key };
  const example = 'write {"id": "acme-launch", "reason": "Issued in error"}';
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new InputError('WITHDRAW_INVALID', `the withdrawal request is not UTF-8 JSON (${(error as Error).message})`, location, example);
  }
  const parsed = WithdrawControlSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError('WITHDRAW_INVALID', `the withdrawal request is invalid: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, location, example);
  }
  const { id: releaseId, reason } = parsed.data;
  if (!(await deps.repository.getRelease(releaseId))) {
    throw new InputError('RELEASE_UNKNOWN', `cannot withdraw ${releaseId}: there is no such release`, { ...location, field: 'id' }, 'check the id with `polywire status`');
  }
  if (!deps.lifecycleQueue) throw new ConfigError('withdrawal control files need the lifecycle queue (LIFECYCLE_QUEUE_URL)');
  const job: WithdrawJob = { kind: 'withdraw', releaseId, reason, requestedBy: key };
  await deps.lifecycleQueue.send([{ body: job }]);
  return { kind: 'withdraw-request', key, releaseId };
}

/**
 * The version an upload declares for itself. Parsers default `version` to 1, so only a version
 * above 1 is taken as declared: an undeclared correction then simply becomes the next version.
 */
function declaredVersionOf(release: Release): { declaredVersion?: number } {
  return release.version > 1 ? { declaredVersion: release.version } : {};
}

async function ingestTranslation(deps: IngestDeps, key: string, bytes: Uint8Array, translation: { baseName: string; language: string }): Promise<IngestOutcome> {
  const { repository } = deps;
  // The base upload's record knows the id it was given (it may declare its own); else the name's.
  const base = await repository.getSource(translation.baseName);
  const releaseId = base?.releaseId ?? deriveReleaseId(translation.baseName);
  const parsed = await parseRelease({ name: key, bytes });
  // Stored before the release's version is read: a release ingested concurrently either sees
  // this file when it translates, or has claimed its version already and is re-driven below.
  await deps.uploads.put(objectKeys.translation(releaseId, translation.language), `${JSON.stringify(contentOf(parsed), null, 2)}\n`, {
    contentType: 'application/json; charset=utf-8',
    metadata: { [SOURCE_KEY_METADATA]: encodeURIComponent(key) },
  });

  const meta = await repository.getRelease(releaseId);
  if (!meta) return { kind: 'translation', key, releaseId, language: translation.language, awaitingBase: translation.baseName };
  const version = await repository.getVersion(releaseId, meta.latestVersion);
  if (!version?.languages.includes(translation.language)) {
    return { kind: 'translation', key, releaseId, language: translation.language };
  }
  await translateQueueOf(deps, version.lane).send([translateMessage({ releaseId, version: meta.latestVersion, language: translation.language, force: true })]);
  return { kind: 'translation', key, releaseId, language: translation.language, retranslatedVersion: meta.latestVersion };
}
