/**
 * LibreTranslate adapter: `POST {url}/translate` with `q` as a list of segments and
 * `format: 'html'`, so LibreTranslate keeps the `<x1/>`/`<g1>` placeholders as tags. The API key
 * is sent in the body and never logged or put in an error message.
 */
import { TranslationError } from '../../core/errors';
import { normalizeLanguageTag } from '../../core/languages';
import { DEFAULT_RETRY_POLICY, RetryExhausted, withRetry, type RetryPolicy } from '../../core/translation/retry';
import type { EngineRequest, TranslationEngine } from '../../ports';

export interface LibreTranslateEngineOptions {
  /** Base URL of the server, e.g. `http://localhost:5000`. */
  url: string;
  apiKey?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Some servers cap characters per request (the public one: 5,000). */
  maxRequestBytes?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

/** LibreTranslate (1.6+) codes: Chinese scripts as zh-Hans / zh-Hant, others by language. */
export function libreLanguageCode(tag: string): string {
  const canonical = normalizeLanguageTag(tag);
  if (canonical === 'zh-Hans' || canonical === 'zh-Hant') return canonical;
  return new Intl.Locale(canonical).language;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A LibreTranslate server (1.6+) as a translation engine, over HTTP with an optional API key;
 * retries with backoff on 429, 5xx and network errors. Supported languages depend on the models
 * the server has installed.
 *
 * @example
 * const engine = new LibreTranslateEngine({ url: 'http://localhost:5000', apiKey: secretFromSecretsManager });
 */
export class LibreTranslateEngine implements TranslationEngine {
  readonly name = 'libretranslate';
  readonly kind = 'machine' as const;
  readonly maxRequestBytes: number;
  private readonly endpoint: string;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: LibreTranslateEngineOptions) {
    this.maxRequestBytes = options.maxRequestBytes ?? 5_000;
    this.endpoint = `${options.url.replace(/\/+$/, '')}/translate`;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Which languages depends on the server's installed models; failures surface per language. */
  supports(targetLanguage: string): boolean {
    try {
      return libreLanguageCode(targetLanguage).length > 0;
    } catch {
      return false;
    }
  }

  async translate(request: EngineRequest): Promise<string[]> {
    const fetchFn = this.options.fetch ?? fetch;
    const body = JSON.stringify({
      q: request.segments,
      source: libreLanguageCode(request.sourceLanguage),
      target: libreLanguageCode(request.targetLanguage),
      format: 'html',
      ...(this.options.apiKey ? { api_key: this.options.apiKey } : {}),
    });
    const call = async (): Promise<string[]> => {
      const response = await fetchFn(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      const payload = (await response.json().catch(() => ({}))) as { translatedText?: unknown; error?: unknown };
      if (!response.ok) {
        throw new HttpStatusError(response.status, `HTTP ${response.status}${typeof payload.error === 'string' ? `: ${payload.error}` : ''}`);
      }
      const texts = payload.translatedText;
      if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) {
        throw new TranslationError('ENGINE_BAD_RESPONSE', 'LibreTranslate: answer has no translatedText list', { retryable: false });
      }
      return texts as string[];
    };
    try {
      return await withRetry(call, isRetryable, this.retry);
    } catch (error) {
      const cause = error instanceof RetryExhausted ? error.cause : error;
      if (cause instanceof TranslationError) throw cause;
      const attempts = error instanceof RetryExhausted ? error.attempts : 1;
      const status = cause instanceof HttpStatusError ? cause.status : undefined;
      const message = `LibreTranslate at ${new URL(this.endpoint).origin}: ${(cause as Error)?.message ?? String(cause)} (${attempts} attempt${attempts === 1 ? '' : 's'})`;
      if (status === 429) throw new TranslationError('ENGINE_THROTTLED', message, { cause });
      if (status === 400 || status === 403) throw new TranslationError('ENGINE_REJECTED', message, { cause, retryable: false });
      throw new TranslationError('ENGINE_UNAVAILABLE', message, { cause, retryable: isRetryable(cause) });
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status === 429 || error.status >= 500;
  if (error instanceof TranslationError) return false;
  // fetch rejects with TypeError on network failure and with TimeoutError on our timeout.
  return error instanceof TypeError || (error as Error)?.name === 'TimeoutError';
}
