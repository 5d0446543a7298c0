/**
 * Typed errors. The split that matters operationally:
 *  - `InputError`: the upload (or a request) is wrong. Reported to the user, recorded, never retried.
 *  - `ProviderError`: something we depend on failed (engine, network, storage). Retried.
 * Every error carries a stable `code`, and input errors say where (file, line, field) and how to fix it.
 */

export interface ErrorLocation {
  /** File name or object key. */
  file?: string;
  /** 1-based line number in the decoded text. */
  line?: number;
  /** Field path for structured input, e.g. `front matter: embargo` or `$.headlines[0].value`. */
  field?: string;
}

export abstract class PolywireError extends Error {
  abstract readonly code: string;
  /** Whether retrying the same operation could succeed. */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** A user's bad input: a rejected upload, an invalid glossary, an unknown language. */
export class InputError extends PolywireError {
  readonly retryable = false;

  constructor(
    readonly code: string,
    message: string,
    readonly location: ErrorLocation = {},
    /** One sentence on how to fix it. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(InputError.compose(message, location, hint), options);
  }

  private static compose(message: string, location: ErrorLocation, hint?: string): string {
    const where = [location.file, location.line === undefined ? undefined : `line ${location.line}`, location.field].filter(Boolean).join(', ');
    // One line: messages end up in logs, tables and `status`; a library's multi-line text would not.
    return `${where ? `${where}: ` : ''}${message.replace(/\s*[\r\n]+\s*/g, ' ')}${hint ? ` — ${hint}` : ''}`;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), location: this.location, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

/** Raised by parsers when an upload cannot be turned into a release. */
export class ParseError extends InputError {}

/** A dependency failed: translation engine, storage, network. Safe to retry. */
export class ProviderError extends PolywireError {
  readonly retryable: boolean;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? true;
  }
}

/** A translation engine failed or answered with something unusable. */
export class TranslationError extends ProviderError {}

/** Configuration is missing or invalid: fail fast at start-up, naming the setting. */
export class ConfigError extends PolywireError {
  readonly code = 'CONFIG_INVALID';
  readonly retryable = false;
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
