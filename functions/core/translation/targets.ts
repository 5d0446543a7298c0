import { InputError } from '../errors';
import { normalizeLanguageTag, WIRE_LANGUAGES, wireLanguage } from '../languages';
import type { Release } from '../release';

/**
 * The languages to translate a release into: its own `targets`, else the deployment's defaults;
 * normalized (`zh-CN` → `zh-Hans`, `pt-BR` → `pt`), deduplicated, without the source language.
 *
 * @throws InputError `UNSUPPORTED_LANGUAGE` naming the tag and listing the supported ones.
 * @example
 * resolveTargets(release, ['en', 'fr']) // release in German without targets → ['en', 'fr']
 */
export function resolveTargets(release: Release, defaults: readonly string[]): string[] {
  const declared = release.targets !== undefined;
  const requested = release.targets ?? defaults;
  const source = safeNormalize(release.language);
  const result: string[] = [];
  for (const raw of requested) {
    const tag = safeNormalize(raw);
    if (!wireLanguage(tag)) {
      throw new InputError(
        'UNSUPPORTED_LANGUAGE',
        `target language ${JSON.stringify(raw)} is not supported`,
        { file: release.source.name, field: declared ? 'targets' : 'default target languages' },
        `use one of ${WIRE_LANGUAGES.map((l) => l.tag).join(', ')}`,
      );
    }
    if (tag !== source && !result.includes(tag)) result.push(tag);
  }
  return result;
}

function safeNormalize(tag: string): string {
  try {
    return normalizeLanguageTag(tag);
  } catch {
    return tag;
  }
}
