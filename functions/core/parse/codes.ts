/**
 * Stable codes of every `ParseError` the parsers raise. Callers (the ingest handler, the CLI, the
 * status API) switch on these, so they never change meaning; new ones may be added.
 */
export const PARSE_ERROR_CODES = {
  /** The upload has zero bytes. */
  EMPTY_FILE: 'EMPTY_FILE',
  /** The upload is binary (an image, a PDF, an archive, NUL bytes). */
  BINARY_FILE: 'BINARY_FILE',
  /** A format polywire does not read (ZIP that is not a Word document, .doc, RTF …). */
  UNSUPPORTED_FORMAT: 'UNSUPPORTED_FORMAT',
  /** Named `.docx` but not a Word document. */
  NOT_A_DOCX: 'NOT_A_DOCX',
  /** Over the byte or character limit. */
  TOO_LARGE: 'TOO_LARGE',
  /** No text at all, or no headline could be found. */
  NO_HEADLINE: 'NO_HEADLINE',
  /** A headline but no body paragraph. */
  NO_BODY: 'NO_BODY',
  /** The YAML front matter of a Markdown release is not valid YAML or not a mapping. */
  INVALID_FRONT_MATTER: 'INVALID_FRONT_MATTER',
  /** A `.json` upload is not valid JSON. */
  INVALID_JSON: 'INVALID_JSON',
  /** Structured input (JSON, ninjs, front matter) has a field of the wrong shape. */
  SCHEMA_MISMATCH: 'SCHEMA_MISMATCH',
  /** No language declared and none could be detected reliably. */
  NO_LANGUAGE: 'NO_LANGUAGE',
  /** A declared language is not a BCP 47 tag. */
  INVALID_LANGUAGE_TAG: 'INVALID_LANGUAGE_TAG',
  /** An embargo line or field that cannot be read as an absolute instant. */
  INVALID_EMBARGO: 'INVALID_EMBARGO',
  /** A declared date that cannot be read as an absolute instant. */
  INVALID_DATE: 'INVALID_DATE',
  /** A `.docx` that mammoth could not read. */
  INVALID_DOCX: 'INVALID_DOCX',
  /**
   * Over a structural limit (nesting depth, number of blocks, inline nodes, table cells, YAML
   * aliases, .docx entries or pictures); the message names the limit (see `LIMITS`).
   */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /**
   * A parser failed on the upload in a way no check foresaw. Still the upload's fault as far as
   * the pipeline is concerned: refused, never retried; the cause is logged for the developers.
   */
  UNREADABLE_UPLOAD: 'UNREADABLE_UPLOAD',
} as const;

export type ParseErrorCode = (typeof PARSE_ERROR_CODES)[keyof typeof PARSE_ERROR_CODES];
