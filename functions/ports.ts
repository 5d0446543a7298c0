/**
 * Ports: the interfaces the pure core and the use cases need from the outside world. Adapters in
 * `functions/adapters/` implement them (S3, DynamoDB, SQS, Amazon Translate, DeepL, LibreTranslate,
 * pseudo, webhooks); handlers inject them. Nothing here imports an SDK.
 */

// ---------------------------------------------------------------------------------------------
// Object storage (the uploads bucket, the distribution bucket)

export interface StoredObject {
  body: Uint8Array;
  contentType?: string;
  metadata: Record<string, string>;
  etag?: string;
  lastModified?: Date;
}

export interface PutObjectOptions {
  contentType: string;
  cacheControl?: string;
  /** User metadata (x-amz-meta-*). ASCII values only. */
  metadata?: Record<string, string>;
}

export interface ObjectStore {
  /** Undefined when the key does not exist. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Metadata only; undefined when the key does not exist. */
  head(key: string): Promise<Omit<StoredObject, 'body'> | undefined>;
  put(key: string, body: Uint8Array | string, options: PutObjectOptions): Promise<void>;
  copy(fromKey: string, toKey: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix, in lexicographic order. */
  list(prefix: string): AsyncIterable<string>;
}

// ---------------------------------------------------------------------------------------------
// Translation

/** Names of the engines polywire ships; the configuration chooses one. */
export type EngineName = 'amazon-translate' | 'deepl' | 'libretranslate' | 'pseudo';

/**
 * One request to an engine: several segments, already packed under the engine's byte limit.
 * Segment texts carry inline markup and protected spans as placeholders (see
 * `core/translation/placeholders.ts`); an engine must return them untouched and in order.
 */
export interface EngineRequest {
  sourceLanguage: string;
  targetLanguage: string;
  segments: string[];
}

export interface TranslationEngine {
  readonly name: string;
  /** `pseudo` engines produce visibly fake text; outputs disclose it. */
  readonly kind: 'machine' | 'pseudo';
  /** Request size limit in UTF-8 bytes (Amazon Translate: 10,000). */
  readonly maxRequestBytes: number;
  /** Whether the engine can translate into this BCP 47 tag. */
  supports(targetLanguage: string): boolean;
  /** Returns exactly one translated string per input segment, in order. */
  translate(request: EngineRequest): Promise<string[]>;
}

/** A segment-level translation memory entry. */
export interface MemoryEntry {
  /** Deterministic key over source language, target language, normalized source text, glossary version and engine. */
  key: string;
  text: string;
}

export interface TranslationMemory {
  /** Returns the entries found; missing keys are simply absent from the map. */
  lookup(keys: readonly string[]): Promise<Map<string, string>>;
  store(entries: readonly MemoryEntry[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Queues between pipeline stages

export interface QueueMessage {
  /** JSON-serializable job. */
  body: unknown;
  /** FIFO queues: jobs with the same group run one at a time, in order. */
  groupId?: string;
  /** FIFO queues: duplicates within five minutes are dropped. */
  deduplicationId?: string;
}

export interface JobQueue {
  send(messages: readonly QueueMessage[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Time

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
