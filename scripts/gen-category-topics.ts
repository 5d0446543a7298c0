/**
 * Embeds `config/categories.yaml` into the core as checked data (the core reads no files, the
 * Lambda bundles carry no config folder, and parsing YAML at every cold start would load a YAML
 * parser for a file that only changes on deploy): writes
 * functions/core/render/category-topics.generated.ts. A unit test fails while the two differ.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCategoryTopicEntries } from '../functions/core/render/media-topics-yaml';

const root = join(import.meta.dirname, '..');
const entries = parseCategoryTopicEntries(readFileSync(join(root, 'config', 'categories.yaml'), 'utf8'));
const out = join(root, 'functions', 'core', 'render', 'category-topics.generated.ts');
writeFileSync(
  out,
  `// Generated from config/categories.yaml by \`npm run gen:categories\` (parsed and checked there); do not edit.\nimport type { CategoryTopicEntry } from './media-topics';\n\nexport const DEFAULT_CATEGORY_TOPIC_ENTRIES: readonly CategoryTopicEntry[] = ${JSON.stringify(entries, null, 2)};\n`,
);
// In the repository's format, so that `biome check` stays green after a regeneration.
execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', out], { stdio: 'ignore' });
console.log(`wrote ${out}`);
