/** Small operations on inline content shared by the parsers. */
import type { Inline } from '../release';

/** Merges adjacent text nodes, drops empty ones and trims whitespace at both ends of the block. */
export function tidyInlines(nodes: readonly Inline[]): Inline[] {
  const merged = mergeText(nodes);
  trimEdge(merged, 'start');
  trimEdge(merged, 'end');
  return pruneEmpty(merged);
}

function mergeText(nodes: readonly Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    const copy: Inline = node.type === 'text' || node.type === 'break' ? { ...node } : { ...node, children: mergeText(node.children) };
    const last = out.at(-1);
    if (copy.type === 'text' && last?.type === 'text') last.text += copy.text;
    else out.push(copy);
  }
  return out;
}

function pruneEmpty(nodes: Inline[]): Inline[] {
  return nodes.flatMap((node): Inline[] => {
    if (node.type === 'text') return node.text === '' ? [] : [node];
    if (node.type === 'break') return [node];
    const children = pruneEmpty(node.children);
    return children.length === 0 ? [] : [{ ...node, children }];
  });
}

/** Trims whitespace (and line breaks) at one end of a node list, descending into emphasis and links. */
function trimEdge(nodes: Inline[], edge: 'start' | 'end'): void {
  while (nodes.length > 0) {
    const index = edge === 'start' ? 0 : nodes.length - 1;
    const node = nodes[index]!;
    if (node.type === 'break') {
      nodes.splice(index, 1);
      continue;
    }
    if (node.type === 'text') {
      // trimEnd(), not /\s+$/, which is quadratic on long runs of whitespace inside the text.
      node.text = edge === 'start' ? node.text.trimStart() : node.text.trimEnd();
      if (node.text === '') {
        nodes.splice(index, 1);
        continue;
      }
      return;
    }
    trimEdge(node.children, edge);
    if (node.children.length === 0) {
      nodes.splice(index, 1);
      continue;
    }
    return;
  }
}

/** Removes the first `count` characters of text (as `inlineText` counts them), then leading whitespace. */
export function dropLeadingChars(nodes: readonly Inline[], count: number): Inline[] {
  let remaining = count;
  const drop = (list: readonly Inline[]): Inline[] => {
    const out: Inline[] = [];
    for (const node of list) {
      if (remaining <= 0) {
        out.push(node);
        continue;
      }
      if (node.type === 'text') {
        const cut = Math.min(remaining, node.text.length);
        remaining -= cut;
        if (node.text.length > cut) out.push({ type: 'text', text: node.text.slice(cut) });
      } else if (node.type === 'break') {
        remaining -= 1;
      } else {
        const children = drop(node.children);
        if (children.length > 0) out.push({ ...node, children });
      }
    }
    return out;
  };
  return tidyInlines(drop(nodes));
}

/** Plain inline content from a string. */
export const textInline = (text: string): Inline[] => (text === '' ? [] : [{ type: 'text', text }]);
