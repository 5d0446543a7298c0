/**
 * Translate: one job = one release version into one language. The variant is stored in the
 * uploads bucket, its record marked `translated` with its ledger, and a publish job goes to the
 * language's FIFO group. A variant whose QA errors the policy holds is marked `held` instead (its
 * publish job then only lets the version's completion run). A language that cannot be translated is marked `failed` with the
 * reason and still sends a publish job (`failed`), so the version's completion logic runs and
 * one language never blocks the others.
 */
import { ConfigError, isInputError, ProviderError, TranslationError, type PolywireError } from '../errors';
import { ReleaseContentSchema, ReleaseSchema, type Release } from '../release';
// Not the translation index: it re-exports the glossary file's parser, which loads on first use here.
import { EMPTY_GLOSSARY, mergeGlossary, type Glossary } from '../translation/glossary';
import type { PriceTable } from '../translation/ledger';
import { translateVariant } from '../translation/translate';
import { DEFAULT_QA_POLICY, type QaPolicy } from '../qa';
import type { Variant } from '../variant';
import type { JobQueue, TranslationEngine, TranslationMemory, VariantRecord } from '../../ports';
import { readJson, silentLogger, writeJson, type StageDeps } from './deps';
import { publishMessage, variantContentHash, type TranslateJob } from './jobs';
import { objectKeys } from './keys';
import { checkVariant } from './qa-step';

export interface TranslateStageDeps extends StageDeps {
  publishQueue: JobQueue;
  /** Built lazily: engines may fetch secrets, which must not happen at module load. */
  engine: () => Promise<TranslationEngine>;
  memory: TranslationMemory;
  prices: PriceTable;
  /** What QA errors do (`QA_POLICY`); the documented default when absent. */
  qaPolicy?: QaPolicy;
}

/**
 * Receives of one message after which an engine failure is final. Below the queue's
 * `maxReceiveCount` (≥ 5), so an engine outage marks the language failed rather than parking the
 * job in the dead-letter queue.
 */
export const TRANSLATE_MAX_ATTEMPTS = 3;

export type TranslateOutcome =
  | { kind: 'translated'; variant: Variant }
  | { kind: 'held'; variant: Variant; checks: string[] }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'skipped'; reason: 'done' | 'superseded'; republished: boolean };

/**
 * Runs one translate job.
 *
 * @param attempt 1-based receive count of the message (SQS `ApproximateReceiveCount`).
 * @throws on storage/database errors and on retryable engine errors before the last attempt.
 */
export async function translateJob(deps: TranslateStageDeps, job: TranslateJob, attempt = 1): Promise<TranslateOutcome> {
  const { repository, uploads } = deps;
  const logger = deps.logger ?? silentLogger;
  const { releaseId, version, language } = job;
  const record = await repository.getVariant(releaseId, version, language);
  if (!record) {
    throw new ProviderError('VARIANT_MISSING', `no variant record for ${releaseId} v${version} ${language}; ingest has not finished`);
  }
  // A human translation arrived: translate again (even over an earlier human one); a repeat of
  // the same translation is recognised by its content hash below.
  const redo = job.force === true && record.status !== 'superseded';
  if (!redo && (record.status === 'translated' || record.status === 'held' || record.status === 'published' || record.status === 'superseded')) {
    // A lost publish job is re-sent (a held variant's too: it runs the version's completion); a
    // published one is left alone.
    const resend = record.status === 'translated' || record.status === 'held';
    if (resend) await resendPublish(deps, job, record);
    return { kind: 'skipped', reason: record.status === 'superseded' ? 'superseded' : 'done', republished: resend };
  }
  const meta = await repository.getRelease(releaseId);
  if (meta && meta.latestVersion > version && record.status !== 'published') {
    await repository.updateVariant(releaseId, version, language, { status: 'superseded', updatedAt: deps.clock.now().toISOString() });
    return { kind: 'skipped', reason: 'superseded', republished: false };
  }

  const stored = await readJson(uploads, objectKeys.release(releaseId, version));
  if (stored === undefined) {
    throw new ProviderError('RELEASE_MISSING', `release ${objectKeys.release(releaseId, version)} is not stored yet`);
  }
  let release: Release = ReleaseSchema.parse(stored);
  // Ingest recorded what lay beside the release; a forced job (a human translation arrived) looks.
  const inputs = job.force === true ? undefined : record.inputs;
  const human = ReleaseContentSchema.safeParse(inputs?.humanTranslation === false ? undefined : await readJson(uploads, objectKeys.translation(releaseId, language)));
  if (human.success) release = { ...release, translations: { ...(release.translations ?? {}), [language]: human.data } };

  let variant: Variant;
  let glossary: Glossary = EMPTY_GLOSSARY;
  try {
    glossary = mergeGlossary(inputs?.glossary === false ? EMPTY_GLOSSARY : await projectGlossary(deps), release.glossary);
    variant = await translateVariant(release, language, {
      engine: await deps.engine(),
      memory: deps.memory,
      glossary,
      prices: deps.prices,
    });
  } catch (error) {
    if (!isFinal(error, attempt)) throw error;
    const failure = error as PolywireError;
    const reason = { code: failure.code, message: failure.message };
    await repository.updateVariant(releaseId, version, language, {
      status: 'failed',
      error: reason,
      updatedAt: deps.clock.now().toISOString(),
    });
    await deps.publishQueue.send([publishMessage({ kind: 'failed', releaseId, version, language })]);
    // Not `message`: Powertools' Logger reserves that key for the log line's own message and
    // drops an extra of that name, which would leave the line without its reason.
    logger.warn('variant failed', { releaseId, version, language, code: reason.code, reason: reason.message });
    return { kind: 'failed', ...reason };
  }

  const contentHash = variantContentHash(variant);
  const repeat = record.status === 'translated' || record.status === 'held' || record.status === 'published';
  if (redo && record.contentHash === contentHash && repeat) {
    // The same translation again (a duplicated upload event): nothing new to publish.
    const resend = record.status === 'translated' || record.status === 'held';
    if (resend) await resendPublish(deps, job, record);
    return { kind: 'skipped', reason: 'done', republished: resend };
  }
  await writeJson(uploads, objectKeys.variant(releaseId, version, language), variant);
  const qa = await qaOf(release, variant, glossary, deps.qaPolicy ?? DEFAULT_QA_POLICY, logger);
  const now = deps.clock.now().toISOString();
  const held = qa !== undefined && qa.hold.length > 0;
  await repository.updateVariant(releaseId, version, language, {
    qa: qa?.summary,
    status: held ? 'held' : 'translated',
    // A replacement that passes keeps the earlier hold on record: publish then refreshes the siblings.
    ...(held ? { review: { heldAt: now, checks: qa.hold, contentHash } } : {}),
    provenance: variant.provenance,
    ledger: variant.ledger,
    error: undefined,
    contentHash,
    ...(record.status === 'failed' ? { recovered: true } : {}),
    updatedAt: now,
  });
  await deps.publishQueue.send([publishMessage({ kind: 'variant', releaseId, version, language }, `${variant.provenance.kind}.${contentHash}`)]);
  if (held) {
    logger.warn('variant held for QA review', { releaseId, version, language, checks: qa.hold, errors: qa.summary.errors });
    return { kind: 'held', variant, checks: qa.hold };
  }
  logger.info('variant translated', { releaseId, version, language, provenance: variant.provenance, ledger: variant.ledger });
  return { kind: 'translated', variant };
}

/**
 * The variant's QA summary and holding checks; a failing check is logged and never fails the
 * translation (the variant is then published unchecked, as the log says).
 */
async function qaOf(
  release: Release,
  variant: Variant,
  glossary: Glossary,
  policy: QaPolicy,
  logger: NonNullable<StageDeps['logger']>,
): Promise<{ summary: NonNullable<VariantRecord['qa']>; hold: string[] } | undefined> {
  try {
    return await checkVariant(release, variant, glossary, policy);
  } catch (error) {
    logger.warn('translation QA failed', { releaseId: variant.releaseId, language: variant.language, error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/**
 * Sends the publish job of a translated variant again (its first one may be lost), with the same
 * deduplication id as the first: provenance and content hash.
 */
async function resendPublish(deps: TranslateStageDeps, job: TranslateJob, record: VariantRecord): Promise<void> {
  const discriminator = [record.provenance?.kind, record.contentHash].filter(Boolean).join('.');
  await deps.publishQueue.send([publishMessage({ kind: 'variant', releaseId: job.releaseId, version: job.version, language: job.language }, discriminator || undefined)]);
}

/**
 * Bad input and a broken configuration (an engine's missing key or URL: the message names the
 * setting) are final at once; an engine failure once the engine's own retries and ours are spent.
 */
function isFinal(error: unknown, attempt: number): boolean {
  if (isInputError(error) || error instanceof ConfigError) return true;
  if (error instanceof TranslationError) return !error.retryable || attempt >= TRANSLATE_MAX_ATTEMPTS;
  return false;
}

/** The project's glossary (`config/glossary.yaml`, optional). A broken file fails the variant with its line. */
async function projectGlossary(deps: TranslateStageDeps): Promise<Glossary> {
  const object = await deps.uploads.get(objectKeys.glossary());
  if (!object) return EMPTY_GLOSSARY;
  // The YAML parser loads only for a deployment with a glossary (a lazy chunk in the function).
  const { parseGlossary } = await import('../translation/glossary-yaml');
  return parseGlossary(new TextDecoder().decode(object.body), objectKeys.glossary());
}
