import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ParseError, parseRelease } from '../../../../functions/core/parse/index';
import type { Release } from '../../../../functions/core/release';

export const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
export const seed = (name: string): Uint8Array => readFileSync(join(repoRoot, 'seeds', name));
export const fixture = (name: string): Uint8Array => readFileSync(join(repoRoot, 'test', 'fixtures', 'parse', name));
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Parses a text given as a string (UTF-8). */
export const parseText = (name: string, text: string): Promise<Release> => parseRelease({ name, bytes: utf8(text) });

/** Asserts a ParseError with the code, and that its message names the file and says how to fix it. */
export async function expectParseError(promise: Promise<unknown>, code: string, file: string, mentions: RegExp[] = []): Promise<ParseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParseError);
  const parseError = error as ParseError;
  expect(parseError.code).toBe(code);
  expect(parseError.location.file).toBe(file);
  expect(parseError.message).toContain(file);
  expect(parseError.hint, 'a hint on how to fix it').toBeTruthy();
  expect(parseError.message).toContain(parseError.hint!);
  for (const mention of mentions) expect(parseError.message).toMatch(mention);
  return parseError;
}

/** Enough real text for language detection, in a few languages. */
export const BODY = {
  en: 'The company said on Tuesday that the new plant will employ about 400 people and start production in the spring of next year, after regulators approved the final permit.',
  de: 'Das Unternehmen teilte am Dienstag mit, dass im neuen Werk rund 400 Menschen arbeiten werden und die Produktion im Frühjahr des kommenden Jahres beginnen soll.',
  fr: "L'entreprise a indiqué mardi que la nouvelle usine emploiera environ 400 personnes et commencera à produire au printemps de l'année prochaine.",
};
