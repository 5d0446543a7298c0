import { describe, expect, it } from 'vitest';
import { INJECTIONS, scoreTrials, type Trial } from '../../../bench/qa';
import { SOURCE, TRANSLATIONS } from '../../../bench/qa-corpus';

describe('QA benchmark scoring', () => {
  const injection = { kind: 'figure changed', block: 'body[0]', expected: ['figures' as const] };
  it('counts a catch only for an expected check in the injected block, and any finding on a correct translation as a false alarm', () => {
    const trials: Trial[] = [
      { pair: 'en→de', language: 'de', findings: [] },
      { pair: 'en→ja', language: 'ja', findings: [{ check: 'length', severity: 'warning', block: 'body[1]' }] },
      { pair: 'en→de', language: 'de', injection, findings: [{ check: 'figures', severity: 'error', block: 'body[0]' }] },
      { pair: 'en→de', language: 'de', injection, findings: [{ check: 'figures', severity: 'warning', block: 'body[0]' }] },
      { pair: 'en→ja', language: 'ja', injection, findings: [{ check: 'figures', severity: 'error', block: 'body[1]' }] },
      { pair: 'en→ja', language: 'ja', injection, findings: [{ check: 'dates', severity: 'error', block: 'body[0]' }] },
    ];
    const { total, byLanguage, byKind } = scoreTrials(trials);
    expect(total).toEqual({ injected: 4, caught: 2, caughtAsError: 1, correct: 2, falseAlarms: 1, falseErrors: 0 });
    expect(byLanguage.get('de')).toMatchObject({ injected: 2, caught: 2, falseAlarms: 0 });
    expect(byLanguage.get('ja')).toMatchObject({ injected: 2, caught: 0, falseAlarms: 1 });
    expect(byKind.get('figure changed')).toMatchObject({ injected: 4, caught: 2 });
  });

  it('every injection changes every corpus translation it applies to', () => {
    for (const translation of TRANSLATIONS) {
      for (const each of INJECTIONS) {
        const broken = each.apply(translation, SOURCE);
        if (broken) expect(JSON.stringify(broken), `${each.kind} ${translation.language}`).not.toBe(JSON.stringify(translation));
      }
    }
  });
});
