import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../../functions/core/errors';
import { DEFAULT_CATEGORY_TOPIC_ENTRIES } from '../../../../functions/core/render/category-topics.generated';
import { categorySubjects, defaultCategoryTopics, formatUnmappedCategories, unmappedCategories, variantMediaTopics } from '../../../../functions/core/render/media-topics';
import { parseCategoryTopicEntries, parseCategoryTopics } from '../../../../functions/core/render/media-topics-yaml';

const repo = join(import.meta.dirname, '..', '..', '..', '..');
const codes = (topics: { qcode: string }[]) => topics.map((t) => t.qcode);

describe('IPTC Media Topics for categories', () => {
  it('the embedded default is config/categories.yaml as it is now (run `npm run gen:categories` after editing it)', () => {
    const file = readFileSync(join(repo, 'config', 'categories.yaml'), 'utf8');
    expect(DEFAULT_CATEGORY_TOPIC_ENTRIES).toEqual(parseCategoryTopicEntries(file));
    expect(defaultCategoryTopics()).toEqual(parseCategoryTopics(file));
  });

  it('maps the seeds categories, written in seven languages, to the same codes', () => {
    const seeds: [string, string[]][] = [
      ['es', ['Agua', 'Energía solar']],
      ['fr', ['Énergie', 'Environnement', 'Industrie']],
      ['de', ['Verkehr', 'Energie', 'Industrie']],
      ['ar', ['الطاقة', 'المياه', 'الأخبار المحلية']],
      ['th', ['พลังงาน', 'ข่าวท้องถิ่น']],
      ['ja', ['運輸', '環境']],
      ['en', ['Energy', 'Utilities', 'Environment']],
    ];
    for (const [lang, categories] of seeds) {
      expect({ lang, business: codes(variantMediaTopics(categories, categories)).includes('medtop:04000000') }).toEqual({ lang, business: true });
    }
    expect(codes(variantMediaTopics(['Agua', 'Energía solar'], ['Agua', 'Energía solar']))).toEqual(['medtop:04000000', 'medtop:06000000']);
  });

  it('matches names the way category feeds are named: case, width and punctuation folded', () => {
    for (const name of ['ENERGY', 'energy', 'Ｅｎｅｒｇｙ', ' Energy! ']) expect(codes(variantMediaTopics([name], [name]))).toEqual(['medtop:04000000']);
  });

  it('a machine translation keeps the codes of its source categories by position; a translation without categories keeps the source codes', () => {
    const pseudo = categorySubjects(['[Ëñéŕğý]', '[Ŭmŵéĺţ]'], ['Energie', 'Umwelt']);
    expect(pseudo.map((s) => [s.name, codes([...s.topics])])).toEqual([
      ['[Ëñéŕğý]', ['medtop:04000000']],
      ['[Ŭmŵéĺţ]', ['medtop:06000000']],
    ]);
    expect(codes(variantMediaTopics([], ['Verkehr', 'Energie']))).toEqual(['medtop:04000000']);
  });

  it('lists the categories no entry maps, so a wire can extend the mapping', () => {
    expect(unmappedCategories(['Top-Story', 'Energie', 'Tagesnachrichten', 'top story'])).toEqual(['Top-Story', 'Tagesnachrichten', 'top story']);
  });

  it('polywire status names the unmapped categories and where to add them', () => {
    expect(formatUnmappedCategories(['Top-Story', 'Energie', 'Tagesnachrichten'])).toBe(
      'categories without an IPTC Media Topic: Top-Story, Tagesnachrichten (add them to config/categories.yaml, then npm run gen:categories)',
    );
    expect(formatUnmappedCategories(['Energie', 'Umwelt'])).toBeUndefined();
  });

  it('a deployment mapping replaces the default', () => {
    const own = parseCategoryTopics('medtop:20000000:\n  label: mine\n  categories: [Top-Story]\n');
    expect(codes(variantMediaTopics(['top story'], ['Top-Story'], own))).toEqual(['medtop:20000000']);
    expect(codes(variantMediaTopics(['Energie'], ['Energie'], own))).toEqual([]);
    expect(defaultCategoryTopics().size).toBeGreaterThan(50);
  });

  it('refuses a broken file with a message naming the problem', () => {
    expect(() => parseCategoryTopics('energy:\n  label: x\n  categories: [a]\n')).toThrow(/"energy" is not a Media Topic qcode/);
    expect(() => parseCategoryTopics('medtop:04000000:\n  categories: [a]\n')).toThrow(/needs a "label"/);
    expect(() => parseCategoryTopics('medtop:04000000:\n  label: x\n  categories: a\n')).toThrow(/must be a list/);
    expect(() => parseCategoryTopics('medtop:04000000: [\n')).toThrow(ConfigError);
  });
});
