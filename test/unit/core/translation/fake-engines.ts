/**
 * Test doubles for TranslationEngine. `CountingEngine` translates faithfully (it upper-cases the
 * text and keeps every placeholder) and records what it was sent, so tests can assert billing.
 */
import { serialize, tokenize } from '../../../../functions/core/translation/placeholders';
import type { EngineRequest, TranslationEngine } from '../../../../functions/ports';

export function faithfulTranslation(markup: string): string {
  return serialize(tokenize(markup).map((t) => (t.type === 'text' ? { ...t, text: t.text.toUpperCase() } : t)));
}

export class CountingEngine implements TranslationEngine {
  readonly name: string = 'counting';
  readonly kind = 'machine' as const;
  readonly requests: EngineRequest[] = [];
  constructor(
    readonly maxRequestBytes = 10_000,
    private readonly transform: (markup: string, request: EngineRequest, call: number) => string[] | string = faithfulTranslation,
  ) {}
  supports(): boolean {
    return true;
  }
  async translate(request: EngineRequest): Promise<string[]> {
    this.requests.push(request);
    const call = this.requests.length;
    const out: string[] = [];
    for (const segment of request.segments) {
      const result = this.transform(segment, request, call);
      out.push(...(Array.isArray(result) ? result : [result]));
    }
    return out;
  }
  sentSegments(): string[] {
    return this.requests.flatMap((r) => r.segments);
  }
}
