/**
 * DeepL adapter (deepl-node `Translator`, injected).
 *
 * Segments go out as a list of texts with `tagHandling: 'xml'`: DeepL then treats `<x1/>` and
 * `<g1>…</g1>` as markup, keeps them, and moves them with the words they wrap. Nothing needs
 * `ignoreTags`: protected text never reaches DeepL (only its empty placeholder does). Retries on
 * 429/5xx belong to deepl-node itself (`maxRetries` on the Translator, see `engines.ts`); this
 * adapter maps what is left into TranslationError.
 */
import { AuthorizationError, ConnectionError, QuotaExceededError, TooManyRequestsError, type SourceLanguageCode, type TargetLanguageCode, type Translator } from 'deepl-node';
import { TranslationError } from '../../core/errors';
import { normalizeLanguageTag } from '../../core/languages';
import type { EngineRequest, TranslationEngine } from '../../ports';

/** DeepL accepts up to 50 texts and 128 KiB per request; we stay well below the size. */
const MAX_TEXTS_PER_CALL = 50;

/** Target languages DeepL translates into (base language codes, from deepl-node's types). */
const DEEPL_TARGETS = new Set('ar bg cs da de el en es et fi fr he hu id it ja ko lt lv ms nb nl pl pt ro ru sk sl sv th tr uk vi zh'.split(' '));

/** BCP 47 → DeepL source code (DeepL reads Chinese scripts alike, and takes bare `en`/`pt`). */
export function deeplSourceCode(tag: string): SourceLanguageCode {
  return new Intl.Locale(normalizeLanguageTag(tag)).language as SourceLanguageCode;
}

/** BCP 47 → DeepL target code: en → en-US, pt → pt-BR, zh-Hans → zh-HANS, zh-Hant → zh-HANT. */
export function deeplTargetCode(tag: string): TargetLanguageCode {
  const canonical = normalizeLanguageTag(tag);
  const locale = new Intl.Locale(canonical);
  if (canonical === 'zh-Hans') return 'zh-HANS';
  if (canonical === 'zh-Hant') return 'zh-HANT';
  if (locale.language === 'en') return locale.region === 'GB' ? 'en-GB' : 'en-US';
  if (locale.language === 'pt') return locale.region === 'PT' ? 'pt-PT' : 'pt-BR';
  return locale.language as TargetLanguageCode;
}

export interface DeepLEngineOptions {
  translator: Pick<Translator, 'translateText'>;
  /** `formal`/`informal` map to DeepL's prefer_more/prefer_less, which fall back silently where unsupported. */
  formality?: 'formal' | 'informal';
}

/**
 * DeepL (via deepl-node) as a translation engine: segments go out as XML-tagged texts so that
 * placeholders survive; deepl-node itself retries 429 and 5xx answers.
 *
 * @example
 * const engine = new DeepLEngine({ translator: new Translator(apiKey, { maxRetries: 5 }), formality: 'formal' });
 */
export class DeepLEngine implements TranslationEngine {
  readonly name = 'deepl';
  readonly kind = 'machine' as const;
  /** Per request we send; DeepL's own cap is 128 KiB. */
  readonly maxRequestBytes = 30_000;

  constructor(private readonly options: DeepLEngineOptions) {}

  supports(targetLanguage: string): boolean {
    try {
      return DEEPL_TARGETS.has(new Intl.Locale(normalizeLanguageTag(targetLanguage)).language);
    } catch {
      return false;
    }
  }

  async translate(request: EngineRequest): Promise<string[]> {
    const results: string[] = [];
    for (let i = 0; i < request.segments.length; i += MAX_TEXTS_PER_CALL) {
      const texts = request.segments.slice(i, i + MAX_TEXTS_PER_CALL);
      try {
        const answer = await this.options.translator.translateText(texts, deeplSourceCode(request.sourceLanguage), deeplTargetCode(request.targetLanguage), {
          tagHandling: 'xml',
          splitSentences: 'nonewlines',
          ...(this.options.formality ? { formality: this.options.formality === 'formal' ? 'prefer_more' : 'prefer_less' } : {}),
        });
        results.push(...answer.map((r) => r.text));
      } catch (error) {
        throw toTranslationError(error);
      }
    }
    return results;
  }
}

function toTranslationError(error: unknown): TranslationError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TooManyRequestsError) return new TranslationError('ENGINE_THROTTLED', `DeepL: too many requests: ${message}`, { cause: error });
  if (error instanceof ConnectionError) return new TranslationError('ENGINE_UNAVAILABLE', `DeepL: connection failed: ${message}`, { cause: error });
  if (error instanceof QuotaExceededError) return new TranslationError('ENGINE_QUOTA_EXCEEDED', `DeepL: character quota exceeded: ${message}`, { cause: error, retryable: false });
  if (error instanceof AuthorizationError) return new TranslationError('ENGINE_UNAUTHORIZED', 'DeepL: the API key was rejected (check deeplApiKey)', { cause: error, retryable: false });
  return new TranslationError('ENGINE_FAILED', `DeepL: ${message}`, { cause: error, retryable: false });
}
