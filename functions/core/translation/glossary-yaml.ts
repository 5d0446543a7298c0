/**
 * Parses the project glossary file (`glossary.yaml`). Apart from glossary.ts so that the translate
 * function loads a YAML parser only when the deployment has a glossary (`config/glossary.yaml` in
 * the uploads bucket), on first use.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError } from '../errors';
import { normalizeLanguageTag, WIRE_LANGUAGES, wireLanguage } from '../languages';
import { EMPTY_GLOSSARY, makeGlossary, MAX_TERM_BYTES, type Glossary } from './glossary';
import { utf8Bytes } from './placeholders';

/**
 * Parses `glossary.yaml`.
 *
 * @throws InputError (code `GLOSSARY_INVALID`, or `UNSUPPORTED_LANGUAGE` for a language key that
 *   is not a wire language) naming the file, the line and the entry.
 * @example
 * parseGlossary('doNotTranslate:\n  - SeaPRwire\nforcedTerms:\n  en:\n    Top-Story: Top Story\n', 'glossary.yaml')
 */
export function parseGlossary(yamlText: string, fileName: string): Glossary {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true });
  const fail = (message: string, node: Node | null | undefined, hint: string, code = 'GLOSSARY_INVALID'): never => {
    const offset = node?.range?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    throw new InputError(code, message, { file: fileName, ...(line === undefined ? {} : { line }) }, hint);
  };
  const [syntaxError] = doc.errors;
  if (syntaxError) {
    throw new InputError(
      'GLOSSARY_INVALID',
      `not valid YAML: ${syntaxError.message.split('\n')[0]}`,
      { file: fileName, ...(syntaxError.linePos ? { line: syntaxError.linePos[0].line } : {}) },
      'fix the YAML syntax (indentation, a missing colon or dash)',
    );
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return EMPTY_GLOSSARY;
  if (!isMap(root)) {
    return fail('the glossary must be a mapping with `doNotTranslate` and `forcedTerms`', root, 'see the comments in the project glossary.yaml');
  }
  const doNotTranslate: string[] = [];
  const forcedTerms: Glossary['forcedTerms'] = {};
  const checkTerm = (node: unknown, what: string): string => {
    const scalar = isScalar(node) ? node : undefined;
    if (!scalar || typeof scalar.value !== 'string' || scalar.value.trim() === '') {
      return fail(`${what} must be a non-empty text, found ${JSON.stringify(scalar?.value ?? String(node))}`, node as Node, 'quote the term if YAML reads it as a number, date or boolean ("2024", "yes")');
    }
    if (utf8Bytes(scalar.value) > MAX_TERM_BYTES) {
      return fail(`${what} ${JSON.stringify(scalar.value.slice(0, 40))}… is longer than ${MAX_TERM_BYTES} bytes`, scalar, 'glossary entries are names and short terms, not sentences');
    }
    return scalar.value.trim();
  };
  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? keyNode.value : undefined;
    if (key === 'doNotTranslate') {
      if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) continue;
      if (!isSeq(pair.value)) return fail('`doNotTranslate` must be a list of terms', pair.value as Node, 'write one `- Term` per line');
      for (const item of pair.value.items) doNotTranslate.push(checkTerm(item, 'doNotTranslate entry'));
    } else if (key === 'forcedTerms') {
      if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) continue;
      if (!isMap(pair.value)) return fail('`forcedTerms` must map a language to its terms', pair.value as Node, 'write `de:` then `  Source term: Zielbegriff` lines');
      for (const languagePair of pair.value.items) {
        const langNode = languagePair.key as Node;
        const rawLang = isScalar(langNode) ? String(langNode.value) : '';
        let tag: string;
        try {
          tag = normalizeLanguageTag(rawLang);
        } catch {
          tag = rawLang;
        }
        if (!wireLanguage(tag)) {
          fail(`forcedTerms language ${JSON.stringify(rawLang)} is not one of the wire's languages`, langNode, `use one of ${WIRE_LANGUAGES.map((l) => l.tag).join(', ')}`, 'UNSUPPORTED_LANGUAGE');
        }
        const terms: Record<string, string> = (forcedTerms[tag] ??= {});
        if (!isMap(languagePair.value)) {
          return fail(`forcedTerms.${rawLang} must map source terms to ${rawLang} terms`, (languagePair.value ?? langNode) as Node, 'write `  Source term: target term` lines under the language');
        }
        for (const termPair of languagePair.value.items) {
          if (!isPair(termPair)) continue;
          const source = checkTerm(termPair.key, `forcedTerms.${rawLang} source term`);
          terms[source] = checkTerm(termPair.value, `forcedTerms.${rawLang}.${source}`);
        }
      }
    } else {
      fail(`unknown key ${JSON.stringify(key)}`, keyNode, 'the glossary has two keys: doNotTranslate and forcedTerms');
    }
  }
  return makeGlossary(doNotTranslate, forcedTerms);
}
