/**
 * Translation memory: segment-level, so a release that shares its disclaimer and wire
 * boilerplate with yesterday's pays only for what is new.
 */
import { createHash } from 'node:crypto';
import type { MemoryEntry, TranslationMemory } from '../../ports';

/**
 * The memory key of one segment: SHA-256 (hex) over source language, target language, the
 * normalized source markup (NFC, collapsed whitespace, placeholders in place), the glossary
 * version and the engine. Any change to one of them is a different key, so a glossary edit or an
 * engine switch never serves a stale translation.
 *
 * @example
 * memoryKey({ sourceLanguage: 'de', targetLanguage: 'en', text: 'Guten Tag', glossaryVersion: 'abc', engine: 'deepl' })
 */
export function memoryKey(parts: { sourceLanguage: string; targetLanguage: string; text: string; glossaryVersion: string; engine: string }): string {
  // A JSON array keeps the fields apart: no separator character inside a text can collide.
  return createHash('sha256')
    .update(JSON.stringify([1, parts.sourceLanguage, parts.targetLanguage, parts.glossaryVersion, parts.engine, parts.text]))
    .digest('hex');
}

/** A memory in a Map: for the CLI, tests and local runs. */
export class InMemoryTranslationMemory implements TranslationMemory {
  private readonly entries = new Map<string, string>();

  async lookup(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of keys) {
      const text = this.entries.get(key);
      if (text !== undefined) found.set(key, text);
    }
    return found;
  }

  async store(entries: readonly MemoryEntry[]): Promise<void> {
    for (const entry of entries) this.entries.set(entry.key, entry.text);
  }

  /** Number of stored segments. */
  get size(): number {
    return this.entries.size;
  }
}
