/**
 * Wire categories → IPTC Media Topics (`medtop:` qcodes), so a receiving system can file a release
 * whatever the language of its category names. The mapping is data (`config/categories.yaml`, see
 * docs/outputs.md); this module parses it and applies it. A category is matched by its slug (the
 * same folding as category feed paths), first by the variant's own name (a human translation's
 * native name), then by the source release's name at the same position: translated categories
 * keep their order, so a machine-translated `Energía` still carries the code of the source's
 * `Energy`, and every language of a release gets the same codes.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from '../errors';
import { categorySlug } from './paths';
import { DEFAULT_CATEGORY_TOPICS_YAML } from './category-topics.generated';

/** IPTC's URI of a Media Topic code, e.g. `http://cv.iptc.org/newscodes/mediatopic/04000000`. */
export const MEDIA_TOPIC_URI_BASE = 'http://cv.iptc.org/newscodes/mediatopic/';

export interface MediaTopic {
  /** `medtop:04000000`. */
  qcode: string;
  /** IPTC's English label, e.g. `economy, business and finance`. */
  label: string;
}

/** Category slug → the Media Topics it maps to. */
export type CategoryTopics = ReadonlyMap<string, readonly MediaTopic[]>;

const QCODE = /^medtop:\d{8}$/;

function fail(message: string, source: string): never {
  throw new ConfigError(`${source}: ${message} (see the comments in config/categories.yaml)`);
}

/**
 * Parses a categories file: `medtop:NNNNNNNN: { label, categories: [names…] }` per code.
 *
 * @example
 * parseCategoryTopics('medtop:06000000:\n  label: environment\n  categories: [Umwelt]\n').get('umwelt')
 * // [{ qcode: 'medtop:06000000', label: 'environment' }]
 */
export function parseCategoryTopics(text: string, source = 'config/categories.yaml'): CategoryTopics {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) fail(doc.errors[0]!.message, source);
  const map = new Map<string, MediaTopic[]>();
  if (doc.contents === null) return map;
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
    const topic: MediaTopic = { qcode, label: label.trim() };
    for (const item of names.items) {
      const name = isScalar(item) ? item.value : undefined;
      if (typeof name !== 'string' || name.trim() === '') fail(`${qcode}: every category must be a non-empty name`, source);
      const slug = categorySlug(name);
      const topics = map.get(slug) ?? [];
      if (!topics.some((t) => t.qcode === qcode)) topics.push(topic);
      map.set(slug, topics);
    }
  }
  return map;
}

/** The mapping polywire ships (`config/categories.yaml`, embedded at build time). */
export const DEFAULT_CATEGORY_TOPICS: CategoryTopics = parseCategoryTopics(DEFAULT_CATEGORY_TOPICS_YAML);

/** A category of a variant with the Media Topics it maps to (none: it stays text). */
export interface CategorySubject {
  name: string;
  topics: readonly MediaTopic[];
}

/**
 * The variant's categories with their Media Topics. `sourceCategories` are the source release's
 * names in the same order (a translation keeps the order of its source's categories).
 */
export function categorySubjects(categories: readonly string[], sourceCategories: readonly string[], topics: CategoryTopics = DEFAULT_CATEGORY_TOPICS): CategorySubject[] {
  return categories.map((name, index) => {
    const own = topics.get(categorySlug(name));
    const source = sourceCategories[index];
    const fromSource = source === undefined ? undefined : topics.get(categorySlug(source));
    return { name, topics: own ?? fromSource ?? [] };
  });
}

/** Distinct Media Topics of a variant, in category order. */
export function mediaTopicsOf(subjects: readonly CategorySubject[]): MediaTopic[] {
  const seen = new Map<string, MediaTopic>();
  for (const subject of subjects) for (const topic of subject.topics) if (!seen.has(topic.qcode)) seen.set(topic.qcode, topic);
  return [...seen.values()];
}

/**
 * The Media Topics of one language version: those of its own categories, then those of the source
 * release's, so every language of a release carries the same codes even when a (human)
 * translation renamed or left out its categories.
 */
export function variantMediaTopics(categories: readonly string[], sourceCategories: readonly string[], topics: CategoryTopics = DEFAULT_CATEGORY_TOPICS): MediaTopic[] {
  return mediaTopicsOf([...categorySubjects(categories, sourceCategories, topics), ...categorySubjects(sourceCategories, sourceCategories, topics)]);
}

/** Category names that map to no Media Topic, for `polywire status` and the wire's editors. */
export function unmappedCategories(categories: readonly string[], topics: CategoryTopics = DEFAULT_CATEGORY_TOPICS): string[] {
  return [...new Set(categories.filter((name) => !topics.has(categorySlug(name))))];
}

/** The `polywire status` line for a release's unmapped categories; undefined when every one maps. */
export function formatUnmappedCategories(categories: readonly string[], topics: CategoryTopics = DEFAULT_CATEGORY_TOPICS): string | undefined {
  const unmapped = unmappedCategories(categories, topics);
  if (unmapped.length === 0) return undefined;
  return `categories without an IPTC Media Topic: ${unmapped.join(', ')} (add them to config/categories.yaml, then npm run gen:categories)`;
}

export function mediaTopicUri(qcode: string): string {
  return `${MEDIA_TOPIC_URI_BASE}${qcode.slice('medtop:'.length)}`;
}
