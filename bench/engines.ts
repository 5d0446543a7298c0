/**
 * Translation engines for the benchmarks, implementing the same port as the real adapters:
 * one that counts what it is sent (the bill), and one that answers after a fixed latency
 * (an engine round trip) under Amazon Translate's 10,000-byte request limit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineRequest, TranslationEngine } from '../functions/ports';

export const TRANSLATE_MAX_REQUEST_BYTES = 10_000;

/**
 * Characters of a segment as an engine bills them: the text between placeholders (`<x1/>`,
 * `<g2>…</g2>`), entities decoded, counted in code points. Written here rather than reusing the
 * translation module's counter, so that the bill is checked against an independent count.
 */
export function billableCharacters(segment: string): number {
  const text = segment
    .replace(/<\/?[a-z]+\d+\s*\/?>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return [...text].length;
}

/** A deterministic stand-in for a translation: visibly marked, placeholders and order preserved. */
function fakeTranslation(request: EngineRequest): string[] {
  return request.segments.map((segment) => `${segment} [${request.targetLanguage}]`);
}

/** Counts characters and requests per target language; never waits. */
export class CountingEngine implements TranslationEngine {
  readonly name = 'bench-counting';
  readonly kind = 'machine' as const;
  readonly maxRequestBytes = TRANSLATE_MAX_REQUEST_BYTES;
  /** Billable characters received (placeholders excluded). */
  characters = 0;
  /** Raw characters received, placeholders included (what an engine that bills markup would charge). */
  rawCharacters = 0;
  requests = 0;
  segments = 0;
  /** Largest request seen, in UTF-8 bytes: must stay under `maxRequestBytes`. */
  largestRequestBytes = 0;
  readonly charactersByLanguage = new Map<string, number>();
  /** Segments received more than once for the same language (ids renumbered away): paid twice. */
  duplicateSegments = 0;
  private readonly seen = new Set<string>();

  supports(): boolean {
    return true;
  }

  async translate(request: EngineRequest): Promise<string[]> {
    const characters = request.segments.reduce((sum, s) => sum + billableCharacters(s), 0);
    this.rawCharacters += request.segments.reduce((sum, s) => sum + s.length, 0);
    const bytes = request.segments.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
    this.characters += characters;
    this.requests++;
    this.segments += request.segments.length;
    for (const segment of request.segments) {
      // Requests renumber placeholder ids, so compare with the ids taken out.
      const key = `${request.targetLanguage}\u0000${segment.replace(/<(\/?)([a-z]+)\d+/g, '<$1$2')}`;
      if (this.seen.has(key)) this.duplicateSegments++;
      else this.seen.add(key);
    }
    this.largestRequestBytes = Math.max(this.largestRequestBytes, bytes);
    this.charactersByLanguage.set(request.targetLanguage, (this.charactersByLanguage.get(request.targetLanguage) ?? 0) + characters);
    return fakeTranslation(request);
  }
}

/** Answers every request after `latencyMs`, like a remote engine; tracks peak concurrency. */
export class LatencyEngine implements TranslationEngine {
  readonly name = 'bench-latency';
  readonly kind = 'machine' as const;
  readonly maxRequestBytes = TRANSLATE_MAX_REQUEST_BYTES;
  requests = 0;
  inFlight = 0;
  peakInFlight = 0;

  constructor(readonly latencyMs = 200) {}

  supports(): boolean {
    return true;
  }

  async translate(request: EngineRequest): Promise<string[]> {
    this.requests++;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      return fakeTranslation(request);
    } finally {
      this.inFlight--;
    }
  }
}
