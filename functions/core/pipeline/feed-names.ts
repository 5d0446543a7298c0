/**
 * Names of the feeds in the index: a language, or a language's category (by slug). Both are
 * rendered (and their archives numbered) by the language's feed render job, one invocation at a
 * time in the language's feed group; publish jobs only write entries into the index.
 */
export function feedName(language: string, categorySlug?: string): string {
  return categorySlug === undefined ? language : `${language}#CAT#${categorySlug}`;
}
