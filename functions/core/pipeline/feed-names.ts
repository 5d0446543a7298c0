/**
 * Names of the feeds in the index: a language, or a language's category (by slug). Both belong
 * to the language's FIFO message group, so usually one invocation at a time writes them; a feed
 * stays correct without that (every write is verified against the index, see publish.ts).
 */
export function feedName(language: string, categorySlug?: string): string {
  return categorySlug === undefined ? language : `${language}#CAT#${categorySlug}`;
}
