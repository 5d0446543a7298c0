/**
 * Placeholder markup: how a segment travels through an engine.
 *
 * A segment's text is sent as XML-ish markup: text is escaped (`&amp;`, `&lt;`, `&gt;`), a
 * standalone item (line break, protected span, forced term, quote mark) becomes `<x3/>`, and a
 * paired span (emphasis, strong, link) becomes `<g2>…</g2>`. Why tags rather than `{1}` or `__1__`:
 * engines are built to carry markup through. Amazon Translate in HTML mode and DeepL with
 * `tagHandling: 'xml'` move tags with the words they wrap and never translate them, whereas
 * brace or underscore tokens get translated, spaced out or dropped. Numbers live in the tag
 * names (`x3`, not `<x id="3"/>`) so an engine that drops attributes cannot lose them.
 *
 * The protected text itself is never sent: only its placeholder is, and the original bytes are put
 * back afterwards, which is what makes protected spans come back byte-identical.
 *
 * Ids are unique within one segment across both kinds (`<x1/>`, `<g2>`), numbered in order.
 */

/** What a placeholder stands for. Standalone: break, protected, forced, quote. Paired: em, strong, link. */
export type Span =
  | { kind: 'break' }
  /** Kept byte-identical: URL, e-mail, ticker, glossary term, the wire's name. */
  | { kind: 'protected'; text: string }
  /** A forced target-language term from the glossary: emitted as `text`. */
  | { kind: 'forced'; source: string; text: string }
  /** A quote mark of the source, emitted as the target language's mark. */
  | { kind: 'quote'; side: 'open' | 'close'; source: string }
  | { kind: 'em' }
  | { kind: 'strong' }
  | { kind: 'link'; href: string };

export type SpanTable = ReadonlyMap<number, Span>;

export type Token = { type: 'text'; text: string } | { type: 'x'; id: number } | { type: 'open'; id: number } | { type: 'close'; id: number };

/** Raised when engine output contains markup that is not one of our placeholders. */
export class MarkupError extends Error {
  override readonly name = 'MarkupError';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes text for the markup. Only `&`, `<` and `>`: quotes stay readable for engines. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/**
 * Decodes entities in ONE pass, so `&amp;quot;` becomes `&quot;` and not `"` (no double
 * decoding). Covers what engines emit in practice: the XML five, `&nbsp;`, and numeric
 * references (`&#39;`, `&#x27;`). Anything else is left as written.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g, (whole, dec, hex, name) => {
    if (dec !== undefined || hex !== undefined) {
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name] ?? whole;
  });
}

const TAG = /<\/?[A-Za-z][^<>]*>/g;

/**
 * Splits markup into tokens. Tolerates what engines legitimately do to tags: `<x1 />`,
 * `<x1></x1>` (HTML parsers re-serialize empty elements that way) and stray whitespace inside
 * tags. Any other tag is engine-invented markup and throws MarkupError.
 */
export function tokenize(markup: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const pushText = (raw: string): void => {
    if (raw === '') return;
    const text = decodeEntities(raw);
    const previous = tokens.at(-1);
    if (previous?.type === 'text') previous.text += text;
    else tokens.push({ type: 'text', text });
  };
  for (const match of markup.matchAll(TAG)) {
    pushText(markup.slice(last, match.index));
    last = match.index + match[0].length;
    const tag = match[0];
    let m: RegExpMatchArray | null;
    if ((m = /^<x(\d+)\s*\/?>$/.exec(tag))) tokens.push({ type: 'x', id: Number(m[1]) });
    else if (/^<\/x\d+\s*>$/.test(tag)) continue;
    else if ((m = /^<g(\d+)\s*>$/.exec(tag))) tokens.push({ type: 'open', id: Number(m[1]) });
    else if ((m = /^<\/g(\d+)\s*>$/.exec(tag))) tokens.push({ type: 'close', id: Number(m[1]) });
    else throw new MarkupError(`unexpected markup ${JSON.stringify(tag)}`);
  }
  pushText(markup.slice(last));
  return tokens;
}

/** Tokens back to markup (canonical form: `<x1/>`, `<g1>…</g1>`, escaped text). */
export function serialize(tokens: readonly Token[]): string {
  return tokens
    .map((t) => {
      switch (t.type) {
        case 'text':
          return escapeText(t.text);
        case 'x':
          return `<x${t.id}/>`;
        case 'open':
          return `<g${t.id}>`;
        case 'close':
          return `</g${t.id}>`;
      }
    })
    .join('');
}

/** The plain text of markup: what an engine bills for (placeholders excluded, entities decoded). */
export function plainText(markup: string): string {
  return tokenize(markup)
    .map((t) => (t.type === 'text' ? t.text : ''))
    .join('');
}

/** Number of Unicode code points of the plain text: the ledger's counting rule. */
export function countCharacters(markup: string): number {
  let count = 0;
  for (const _ of plainText(markup)) count++;
  return count;
}

/** Whether markup has anything an engine could translate (a letter outside placeholders). */
export function hasTranslatableText(markup: string): boolean {
  return /\p{L}/u.test(plainText(markup));
}

interface PlaceholderShape {
  kind: 'x' | 'g';
  /** Id of the nearest enclosing paired placeholder, 0 at top level. */
  parent: number;
}

function shapeOf(tokens: readonly Token[]): Map<number, PlaceholderShape> {
  const shape = new Map<number, PlaceholderShape>();
  const stack: number[] = [];
  for (const t of tokens) {
    if (t.type === 'x') shape.set(t.id, { kind: 'x', parent: stack.at(-1) ?? 0 });
    else if (t.type === 'open') {
      shape.set(t.id, { kind: 'g', parent: stack.at(-1) ?? 0 });
      stack.push(t.id);
    } else if (t.type === 'close') stack.pop();
  }
  return shape;
}

/**
 * Checks a translated segment against its source. Returns a reason when the engine dropped,
 * duplicated, invented, renamed or un-nested a placeholder; undefined when the answer is usable.
 *
 * Sibling placeholders may change order (word order differs between languages: a link can
 * rightly move to the end of a Japanese sentence), but every placeholder must appear exactly
 * once, paired ones must stay balanced, and nothing may leave or enter a paired span.
 */
export function placeholderMismatch(sourceMarkup: string, translatedMarkup: string): string | undefined {
  const expected = shapeOf(tokenize(sourceMarkup));
  let tokens: Token[];
  try {
    tokens = tokenize(translatedMarkup);
  } catch (error) {
    return (error as Error).message;
  }
  const seen = new Set<number>();
  const stack: number[] = [];
  for (const t of tokens) {
    if (t.type === 'text') continue;
    if (t.type === 'close') {
      const top = stack.pop();
      if (top !== t.id) return `</g${t.id}> closes ${top === undefined ? 'nothing' : `<g${top}>`}`;
      continue;
    }
    const want = expected.get(t.id);
    const tag = t.type === 'x' ? `<x${t.id}/>` : `<g${t.id}>`;
    if (!want || want.kind !== (t.type === 'x' ? 'x' : 'g')) return `unknown placeholder ${tag}`;
    if (seen.has(t.id)) return `placeholder ${tag} duplicated`;
    seen.add(t.id);
    const parent = stack.at(-1) ?? 0;
    if (parent !== want.parent) return `placeholder ${tag} moved ${parent ? `into <g${parent}>` : 'out of its span'}`;
    if (t.type === 'open') stack.push(t.id);
  }
  if (stack.length > 0) return `<g${stack.at(-1)}> not closed`;
  for (const [id, want] of expected) {
    if (!seen.has(id)) return `placeholder ${want.kind === 'x' ? `<x${id}/>` : `<g${id}>`} dropped`;
  }
  return undefined;
}

/** Renames placeholder ids (used to make ids unique across the segments of one request). */
export function renumber(markup: string, rename: (id: number) => number): string {
  return serialize(tokenize(markup).map((t) => (t.type === 'text' ? t : { ...t, id: rename(t.id) })));
}

/** Ids used in markup, in order of appearance. */
export function placeholderIds(markup: string): number[] {
  const ids: number[] = [];
  for (const t of tokenize(markup)) if (t.type === 'x' || t.type === 'open') ids.push(t.id);
  return ids;
}

const encoder = new TextEncoder();

/** Size of a string in UTF-8 bytes (what engines' request limits count). */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}
