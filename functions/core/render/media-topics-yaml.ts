/**
 * Parses and checks `config/categories.yaml` (wire categories → IPTC Media Topics). Apart from
 * media-topics.ts so that the functions, which use the mapping embedded at build time
 * (`npm run gen:categories`), never load a YAML parser: only the generator, the CLI and tests do.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from '../errors';
import { categoryTopicsFromEntries, type CategoryTopicEntry, type CategoryTopics } from './media-topics';

const QCODE = /^medtop:\d{8}$/;

function fail(message: string, source: string): never {
  throw new ConfigError(`${source}: ${message} (see the comments in config/categories.yaml)`);
}

/**
 * The entries of a categories file (`medtop:NNNNNNNN: { label, categories: [names…] }` per code),
 * in file order, checked.
 *
 * @throws ConfigError naming the file and what is wrong.
 */
export function parseCategoryTopicEntries(text: string, source = 'config/categories.yaml'): CategoryTopicEntry[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) fail(doc.errors[0]!.message, source);
  const entries: CategoryTopicEntry[] = [];
  if (doc.contents === null) return entries;
  if (!isMap(doc.contents)) fail('must be a mapping of Media Topic qcodes', source);
  for (const pair of doc.contents.items) {
    const qcode = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!QCODE.test(qcode)) fail(`"${qcode}" is not a Media Topic qcode (medtop: and 8 digits)`, source);
    const value = pair.value;
    if (!isMap(value)) fail(`${qcode} needs "label" and "categories"`, source);
    const label: unknown = value.get('label');
    const names = value.get('categories', true);
    if (typeof label !== 'string' || label.trim() === '') fail(`${qcode} needs a "label"`, source);
    if (!isSeq(names)) fail(`${qcode}: "categories" must be a list of names`, source);
    const categories: string[] = [];
    for (const item of names.items) {
      const name = isScalar(item) ? item.value : undefined;
      if (typeof name !== 'string' || name.trim() === '') fail(`${qcode}: every category must be a non-empty name`, source);
      categories.push(name);
    }
    entries.push({ qcode, label: label.trim(), categories });
  }
  return entries;
}

/**
 * Parses a categories file into the slug → topics map (a deployment's own mapping replaces the default).
 *
 * @example
 * parseCategoryTopics('medtop:06000000:\n  label: environment\n  categories: [Umwelt]\n').get('umwelt')
 * // [{ qcode: 'medtop:06000000', label: 'environment' }]
 */
export function parseCategoryTopics(text: string, source = 'config/categories.yaml'): CategoryTopics {
  return categoryTopicsFromEntries(parseCategoryTopicEntries(text, source));
}
