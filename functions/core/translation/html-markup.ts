/**
 * Placeholder markup ⇄ HTML, for engines that translate HTML (Amazon Translate's TranslateText
 * recognizes HTML in its text). Standalone placeholders become `<span translate="no" data-x="N">xN</span>`:
 * `translate="no"` is the documented way to keep content untouched, and a non-empty element
 * is not dropped as an empty one might be. Paired placeholders become `<span data-g="N">…</span>`,
 * so emphasis and links move with the words they wrap. Each segment is its own
 * `<div data-s="i">`, so one request carries many segments and the answer says which is which.
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { escapeText, serialize, tokenize, type Token } from './placeholders';

/** One segment's markup as HTML. */
export function markupToHtml(markup: string): string {
  return tokenize(markup)
    .map((t) => {
      switch (t.type) {
        case 'text':
          return escapeText(t.text);
        case 'x':
          return `<span translate="no" data-x="${t.id}">x${t.id}</span>`;
        case 'open':
          return `<span data-g="${t.id}">`;
        case 'close':
          return '</span>';
      }
    })
    .join('');
}

/** Several segments as one HTML document. */
export function segmentsToHtml(segments: readonly string[]): string {
  return segments.map((s, i) => `<div data-s="${i}">${markupToHtml(s)}</div>`).join('');
}

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function collect(nodes: readonly ChildNode[], tokens: Token[]): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      tokens.push({ type: 'text', text: node.data });
    } else if (isElement(node)) {
      const x = node.attribs['data-x'];
      const g = node.attribs['data-g'];
      if (x !== undefined && /^\d+$/.test(x)) tokens.push({ type: 'x', id: Number(x) });
      else if (g !== undefined && /^\d+$/.test(g)) {
        tokens.push({ type: 'open', id: Number(g) });
        collect(node.children, tokens);
        tokens.push({ type: 'close', id: Number(g) });
      } else {
        // An element the engine added (or a wrapper such as <html><body>): keep its text only.
        collect(node.children, tokens);
      }
    }
  }
}

function segmentElements(nodes: readonly ChildNode[], found: Element[]): void {
  for (const node of nodes) {
    if (!isElement(node)) continue;
    if (node.attribs['data-s'] !== undefined) found.push(node);
    else segmentElements(node.children, found);
  }
}

/**
 * The segments of a translated HTML document, back as placeholder markup, in `data-s` order.
 * Entities are decoded once by the HTML parser. Returns however many segments it finds: the
 * caller compares the count with what it sent.
 */
export function htmlToSegments(html: string): string[] {
  const document = parseDocument(html, { decodeEntities: true });
  const elements: Element[] = [];
  segmentElements(document.children, elements);
  const ordered = elements.map((el) => ({ index: Number(el.attribs['data-s']), el })).sort((a, b) => a.index - b.index);
  return ordered.map(({ el }) => {
    const tokens: Token[] = [];
    collect(el.children, tokens);
    return serialize(tokens).trim();
  });
}
