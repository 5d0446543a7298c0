/**
 * Wire categories → IPTC Media Topics (`medtop:` qcodes), so a receiving system can file a release
 * whatever the language of its category names. The mapping is data (`config/categories.yaml`, see
 * docs/outputs.md); this module applies it (media-topics-yaml.ts parses the file). A category is matched by its slug (the
 * same folding as category feed paths), first by the variant's own name (a human translation's
 * native name), then by the source release's name at the same position: translated categories
 * keep their order, so a machine-translated `Energía` still carries the code of the source's
 * `Energy`, and every language of a release gets the same codes.
 */
import { categorySlug } from './paths';
import { DEFAULT_CATEGORY_TOPIC_ENTRIES } from './category-topics.generated';

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

/** One entry of `config/categories.yaml`: a Media Topic and the category names that map to it. */
export interface CategoryTopicEntry extends MediaTopic {
  categories: readonly string[];
}

/** The slug → topics map of checked entries (`parseCategoryTopicEntries`, media-topics-yaml.ts). */
export function categoryTopicsFromEntries(entries: readonly CategoryTopicEntry[]): CategoryTopics {
  const map = new Map<string, MediaTopic[]>();
  for (const { qcode, label, categories } of entries) {
    const topic: MediaTopic = { qcode, label };
    for (const name of categories) {
      const slug = categorySlug(name);
      const topics = map.get(slug) ?? [];
      if (!topics.some((t) => t.qcode === qcode)) topics.push(topic);
      map.set(slug, topics);
    }
  }
  return map;
}

let defaultTopics: CategoryTopics | undefined;

/**
 * The mapping polywire ships (`config/categories.yaml`, parsed and checked by `npm run
 * gen:categories`, embedded as data: the functions carry no YAML parser for it). Built on the first
 * call, not at module scope: slugging its few hundred names (NFKC normalization, a Unicode-property
 * regex) ran at every publish cold start, also for feed, root and withdraw jobs that map no category.
 */
export function defaultCategoryTopics(): CategoryTopics {
  defaultTopics ??= categoryTopicsFromEntries(DEFAULT_CATEGORY_TOPIC_ENTRIES);
  return defaultTopics;
}

/** A category of a variant with the Media Topics it maps to (none: it stays text). */
export interface CategorySubject {
  name: string;
  topics: readonly MediaTopic[];
}

/**
 * The variant's categories with their Media Topics. `sourceCategories` are the source release's
 * names in the same order (a translation keeps the order of its source's categories).
 */
export function categorySubjects(categories: readonly string[], sourceCategories: readonly string[], topics: CategoryTopics = defaultCategoryTopics()): CategorySubject[] {
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
export function variantMediaTopics(categories: readonly string[], sourceCategories: readonly string[], topics: CategoryTopics = defaultCategoryTopics()): MediaTopic[] {
  return mediaTopicsOf([...categorySubjects(categories, sourceCategories, topics), ...categorySubjects(sourceCategories, sourceCategories, topics)]);
}

/** Category names that map to no Media Topic, for `polywire status` and the wire's editors. */
export function unmappedCategories(categories: readonly string[], topics: CategoryTopics = defaultCategoryTopics()): string[] {
  return [...new Set(categories.filter((name) => !topics.has(categorySlug(name))))];
}

/** The `polywire status` line for a release's unmapped categories; undefined when every one maps. */
export function formatUnmappedCategories(categories: readonly string[], topics: CategoryTopics = defaultCategoryTopics()): string | undefined {
  const unmapped = unmappedCategories(categories, topics);
  if (unmapped.length === 0) return undefined;
  return `categories without an IPTC Media Topic: ${unmapped.join(', ')} (add them to config/categories.yaml, then npm run gen:categories)`;
}

export function mediaTopicUri(qcode: string): string {
  return `${MEDIA_TOPIC_URI_BASE}${qcode.slice('medtop:'.length)}`;
}
