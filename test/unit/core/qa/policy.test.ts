import { describe, expect, it } from 'vitest';
import { parseQaPolicy } from '../../../../functions/config';
import { ConfigError } from '../../../../functions/core/errors';
import { DEFAULT_HOLD_CHECKS, DEFAULT_QA_POLICY, holdingChecks, qaAction, QA_CHECKS } from '../../../../functions/core/qa';

describe('QA policy: what an error does', () => {
  it('by default holds errors that change meaning and flags errors of form', () => {
    expect(qaAction(DEFAULT_QA_POLICY, 'de', 'figures', 'error')).toBe('hold');
    expect(qaAction(DEFAULT_QA_POLICY, 'de', 'dates', 'error')).toBe('hold');
    expect(qaAction(DEFAULT_QA_POLICY, 'de', 'protected', 'error')).toBe('hold');
    expect(qaAction(DEFAULT_QA_POLICY, 'de', 'length', 'error')).toBe('flag');
    expect(qaAction(DEFAULT_QA_POLICY, 'de', 'untranslated', 'error')).toBe('flag');
    expect(QA_CHECKS.filter((c) => qaAction(DEFAULT_QA_POLICY, 'ja', c, 'error') === 'hold')).toEqual([...DEFAULT_HOLD_CHECKS].sort((a, b) => QA_CHECKS.indexOf(a) - QA_CHECKS.indexOf(b)));
  });

  it('never holds on a warning, whatever the rules say', () => {
    const policy = parseQaPolicy('errors=hold, figures=hold, de:figures=hold');
    for (const check of QA_CHECKS) expect(qaAction(policy, 'de', check, 'warning')).toBe('flag');
  });

  it('looks rules up from the most specific: language+check, language errors, check, errors, default', () => {
    const policy = parseQaPolicy('errors=hold, length=flag, ja:errors=flag, ja:dates=hold, zh-TW:figures=flag');
    expect(qaAction(policy, 'de', 'script', 'error')).toBe('hold'); // errors=hold over the default flag
    expect(qaAction(policy, 'de', 'length', 'error')).toBe('flag'); // the check's own rule
    expect(qaAction(policy, 'ja', 'figures', 'error')).toBe('flag'); // ja:errors
    expect(qaAction(policy, 'ja', 'dates', 'error')).toBe('hold'); // ja:dates
    expect(qaAction(policy, 'zh-Hant', 'figures', 'error')).toBe('flag'); // normalized tag
    expect(qaAction(policy, 'zh-Hant', 'dates', 'error')).toBe('hold');
  });

  it('errors=flag publishes everything (the behaviour before the hold existed)', () => {
    const policy = parseQaPolicy('errors=flag');
    expect(QA_CHECKS.some((c) => qaAction(policy, 'fr', c, 'error') === 'hold')).toBe(false);
  });

  it('lists the holding checks of a variant’s findings once each, in check order', () => {
    const findings = [
      { check: 'length', severity: 'error' },
      { check: 'figures', severity: 'error' },
      { check: 'dates', severity: 'warning' },
      { check: 'figures', severity: 'error' },
      { check: 'segments', severity: 'error' },
    ] as const;
    expect(holdingChecks(DEFAULT_QA_POLICY, 'de', findings)).toEqual(['segments', 'figures']);
    expect(holdingChecks(DEFAULT_QA_POLICY, 'de', [])).toEqual([]);
  });

  it('unset is the default policy', () => {
    expect(parseQaPolicy(undefined)).toBe(DEFAULT_QA_POLICY);
  });

  it.each([
    ['figures=stop', /hold \(keep the language for review\) or flag/],
    ['warnings=hold', /warnings never hold/],
    ['spelling=hold', /names "spelling": use errors or a check/],
    ['xx:figures=hold', /language "xx", which is not a wire language/],
    ['figures', /<check or errors>=<hold\|flag>/],
  ])('rejects %s with a message naming QA_POLICY', (raw, message) => {
    expect(() => parseQaPolicy(raw)).toThrow(ConfigError);
    expect(() => parseQaPolicy(raw)).toThrow(/QA_POLICY/);
    expect(() => parseQaPolicy(raw)).toThrow(message);
  });
});
