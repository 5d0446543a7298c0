/**
 * Embeds `config/categories.yaml` into the core as a string (the core reads no files, and the
 * Lambda bundles carry no config folder): writes functions/core/render/category-topics.generated.ts.
 * A unit test fails when the generated file is older than the YAML.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const yaml = readFileSync(join(root, 'config', 'categories.yaml'), 'utf8');
const out = join(root, 'functions', 'core', 'render', 'category-topics.generated.ts');
writeFileSync(out, `// Generated from config/categories.yaml by \`npm run gen:categories\`; do not edit.\nexport const DEFAULT_CATEGORY_TOPICS_YAML = ${JSON.stringify(yaml)};\n`);
console.log(`wrote ${out}`);
