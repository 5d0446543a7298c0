/**
 * Amazon Translate adapter (TranslateText, real time).
 *
 * Batching: the segments of one request go out as ONE HTML fragment in `Text` (TranslateText
 * has no content-type parameter; it recognizes HTML markup and honours `translate="no"`, as
 * Amazon's do-not-translate documentation shows with `translate-text`), each segment in its own `<div data-s="i">`, placeholders as spans (see
 * `core/translation/html-markup.ts`). That is one call instead of one per paragraph, which
 * matters because throttling, not price, is what limits a burst of 15 languages. It is safe
 * because block elements are translated independently and the answer is parsed back by
 * `data-s`; a lost or merged div shows up as a segment-count mismatch, which the core detects
 * and retries.
 *
 * Retries: the client is created with `maxAttempts: 1` (see `engines.ts`) and this adapter owns
 * the loop (exponential backoff, full jitter) on ThrottlingException, ServiceUnavailableException,
 * InternalServerException, TooManyRequestsException, HTTP 429/5xx and network errors, so the
 * number of attempts and the delays are ours to test. With a client that keeps SDK retries the
 * attempts multiply; keep them off.
 */
import { TranslateTextCommand, type TranslateClient, type TranslationSettings } from '@aws-sdk/client-translate';
import { ConfigError, TranslationError } from '../../core/errors';
import { normalizeLanguageTag } from '../../core/languages';
import { segmentsToHtml, htmlToSegments } from '../../core/translation/html-markup';
import { utf8Bytes } from '../../core/translation/placeholders';
import { DEFAULT_RETRY_POLICY, RetryExhausted, withRetry, type RetryPolicy } from '../../core/translation/retry';
import type { EngineRequest, TranslationEngine } from '../../ports';

import { AMAZON_MAX_REQUEST_BYTES, AMAZON_MAX_TERMINOLOGY_TARGETS } from './limits';

export { AMAZON_MAX_REQUEST_BYTES, AMAZON_MAX_TERMINOLOGY_TARGETS };

/** Amazon Translate's language codes (targets), from its documentation. */
const AMAZON_LANGUAGES = new Set(
  'af sq am ar hy az bn bs bg ca zh zh-TW hr cs da fa-AF nl en et fa tl fi fr fr-CA ka de el gu ht ha he hi hu is id ga it ja kn kk ko lv lt mk ms ml mt mr mn no ps pl pt pt-PT pa ro ru sr si sk sl so es es-MX sw sv ta te th tr uk ur uz vi cy'.split(
    ' ',
  ),
);
/** Targets where the Formality setting is available (Amazon: Dutch, French, German, Hindi, Italian, Japanese, Korean, Polish, Portuguese (Portugal), Spanish and their variants). */
const FORMALITY_TARGETS = new Set(['nl', 'fr', 'fr-CA', 'de', 'hi', 'it', 'ja', 'ko', 'pl', 'pt-PT', 'es', 'es-MX']);

const RETRYABLE_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServiceUnavailableException', 'InternalServerException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** BCP 47 tag → Amazon Translate code: zh-Hans → zh, zh-Hant → zh-TW, others as they are. */
export function amazonLanguageCode(tag: string): string {
  const canonical = normalizeLanguageTag(tag);
  if (canonical === 'zh-Hans') return 'zh';
  if (canonical === 'zh-Hant') return 'zh-TW';
  if (AMAZON_LANGUAGES.has(canonical)) return canonical;
  return new Intl.Locale(canonical).language;
}

export interface TerminologyConfig {
  /** Name of a custom terminology created in Amazon Translate. */
  name: string;
  /** Target languages it covers (BCP 47), at most 10. */
  targets: string[];
}

export interface AmazonTranslateEngineOptions {
  /** Create it with `maxAttempts: 1`: this adapter owns retries. */
  client: Pick<TranslateClient, 'send'>;
  terminologies?: readonly TerminologyConfig[];
  formality?: 'formal' | 'informal';
  /** Mask profane words; off by default (a press release is quoted as written). */
  maskProfanity?: boolean;
  retry?: Partial<RetryPolicy>;
}

/**
 * Amazon Translate (TranslateText) as a translation engine: one HTML request per batch of
 * segments, a custom terminology per target language, retries with backoff on throttling.
 *
 * @throws ConfigError from the constructor when a terminology covers more than 10 languages or
 *   two terminologies cover the same language.
 * @example
 * const engine = new AmazonTranslateEngine({ client: new TranslateClient({ maxAttempts: 1 }), terminologies: [{ name: 'wire-a', targets: ['de', 'fr'] }] });
 */
export class AmazonTranslateEngine implements TranslationEngine {
  readonly name = 'amazon-translate';
  readonly kind = 'machine' as const;
  readonly maxRequestBytes = AMAZON_MAX_REQUEST_BYTES;
  private readonly terminologyByTarget = new Map<string, string>();
  private readonly retry: RetryPolicy;

  constructor(private readonly options: AmazonTranslateEngineOptions) {
    for (const terminology of options.terminologies ?? []) {
      if (terminology.targets.length > AMAZON_MAX_TERMINOLOGY_TARGETS) {
        throw new ConfigError(
          `terminologies: "${terminology.name}" lists ${terminology.targets.length} target languages; Amazon Translate allows ${AMAZON_MAX_TERMINOLOGY_TARGETS} per terminology — split it into two terminologies`,
        );
      }
      for (const target of terminology.targets) {
        const tag = normalizeLanguageTag(target);
        const existing = this.terminologyByTarget.get(tag);
        if (existing) {
          throw new ConfigError(`terminologies: ${tag} is covered by both "${existing}" and "${terminology.name}"; Amazon Translate applies one terminology per request — list each language once`);
        }
        this.terminologyByTarget.set(tag, terminology.name);
      }
    }
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Bytes of the HTML document these segments become. */
  requestBytes(segments: readonly string[]): number {
    return utf8Bytes(segmentsToHtml(segments));
  }

  supports(targetLanguage: string): boolean {
    try {
      return AMAZON_LANGUAGES.has(amazonLanguageCode(targetLanguage));
    } catch {
      return false;
    }
  }

  /** The terminology applied for a target, if any. */
  terminologyFor(targetLanguage: string): string | undefined {
    return this.terminologyByTarget.get(normalizeLanguageTag(targetLanguage));
  }

  async translate(request: EngineRequest): Promise<string[]> {
    const results: string[] = [];
    // The core packs under the limit already; this re-check makes the limit this adapter's own
    // guarantee for any caller.
    for (const chunk of this.chunks(request.segments)) {
      results.push(...(await this.translateChunk(request, chunk)));
    }
    return results;
  }

  private chunks(segments: readonly string[]): string[][] {
    const chunks: string[][] = [];
    let current: string[] = [];
    for (const segment of segments) {
      if (this.requestBytes([segment]) > this.maxRequestBytes) {
        throw new TranslationError('REQUEST_TOO_LARGE', `a segment of ${this.requestBytes([segment])} bytes exceeds Amazon Translate's ${this.maxRequestBytes}-byte limit`, { retryable: false });
      }
      if (current.length > 0 && this.requestBytes([...current, segment]) > this.maxRequestBytes) {
        chunks.push(current);
        current = [];
      }
      current.push(segment);
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  private async translateChunk(request: EngineRequest, segments: readonly string[]): Promise<string[]> {
    const target = amazonLanguageCode(request.targetLanguage);
    const terminology = this.terminologyFor(request.targetLanguage);
    const settings: TranslationSettings = {};
    if (this.options.formality && FORMALITY_TARGETS.has(target)) settings.Formality = this.options.formality === 'formal' ? 'FORMAL' : 'INFORMAL';
    if (this.options.maskProfanity) settings.Profanity = 'MASK';
    const command = new TranslateTextCommand({
      Text: segmentsToHtml(segments),
      SourceLanguageCode: amazonLanguageCode(request.sourceLanguage),
      TargetLanguageCode: target,
      ...(terminology ? { TerminologyNames: [terminology] } : {}),
      ...(Object.keys(settings).length > 0 ? { Settings: settings } : {}),
    });
    try {
      const output = await withRetry(() => this.options.client.send(command), isRetryable, this.retry);
      return htmlToSegments(output.TranslatedText ?? '');
    } catch (error) {
      throw toTranslationError(error);
    }
  }
}

interface AwsErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

function isRetryable(error: unknown): boolean {
  const e = error as AwsErrorShape;
  if (e?.name && RETRYABLE_NAMES.has(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status === 429 || status >= 500;
  // No HTTP answer at all: a dropped connection or DNS hiccup is worth another try.
  return NETWORK_CODES.has(String((error as { code?: unknown })?.code));
}

function toTranslationError(error: unknown): TranslationError {
  if (error instanceof TranslationError) return error;
  const attempts = error instanceof RetryExhausted ? error.attempts : 1;
  const cause = error instanceof RetryExhausted ? error.cause : error;
  const e = cause as AwsErrorShape;
  const name = e?.name ?? 'Error';
  const retryable = isRetryable(cause);
  const code = retryable
    ? name === 'ThrottlingException' || name === 'TooManyRequestsException'
      ? 'ENGINE_THROTTLED'
      : 'ENGINE_UNAVAILABLE'
    : name
        .replace(/Exception$/, '')
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toUpperCase();
  return new TranslationError(code, `Amazon Translate: ${name}: ${e?.message ?? String(cause)} (${attempts} attempt${attempts === 1 ? '' : 's'})`, { cause, retryable });
}
