/**
 * Documentation a maintainer can follow: every relative link in README.md and docs/*.md, and every
 * `docs/<page>.md#<anchor>` a code comment or message points at, leads to a file that exists and,
 * with an anchor, to a heading in it (anchors as GitHub renders them, via github-slugger).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';

const root = new URL('../../../', import.meta.url).pathname;

/** Text outside fenced code blocks (links shown as code are examples, not links). */
function outsideFences(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (!anchors) {
    const slugger = new GithubSlugger();
    anchors = new Set(
      outsideFences(readFileSync(file, 'utf8'))
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) =>
          slugger.slug(
            line
              .replace(/^#{1,6} /, '')
              .replace(/`/g, '')
              .trim(),
          ),
        ),
    );
    anchorCache.set(file, anchors);
  }
  return anchors;
}

/** Problem with one link, or undefined when it resolves. */
function check(fromFile: string, target: string): string | undefined {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const file = path === '' ? fromFile : resolve(dirname(fromFile), decodeURI(path));
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined || !file.endsWith('.md') || statSync(file).isDirectory()) return undefined;
  return anchorsOf(file).has(anchor) ? undefined : `${target}: no heading with anchor #${anchor} in ${relative(root, file)}`;
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f));
  return [join(root, 'README.md'), ...docs];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('documentation links', () => {
  it('README.md links the architecture page and stays a front door', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    expect(readme).toContain('(docs/architecture.md)');
  });

  it('every relative link in README.md and docs/ resolves, anchors included', () => {
    const problems: string[] = [];
    for (const file of markdownFiles()) {
      const text = outsideFences(readFileSync(file, 'utf8')).replace(/`[^`\n]*`/g, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const problem = check(file, target);
        if (problem) problems.push(`${relative(root, file)}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every docs/<page>.md#<anchor> named in code exists', () => {
    const problems: string[] = [];
    let references = 0;
    for (const file of ['functions', 'infra', 'cli', 'bench'].flatMap(sourceFiles)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bdocs\/([\w.-]+\.md)(#[\w-]+)?/g)) {
        references++;
        const problem = check(join(root, 'README.md'), `docs/${match[1]}${match[2] ?? ''}`);
        if (problem) problems.push(`${relative(root, file)}: ${problem}`);
      }
    }
    expect(references).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  it('finds a broken link when there is one (the checker can fail)', () => {
    expect(check(join(root, 'README.md'), 'docs/formats.md#no-such-heading')).toMatch(/no heading/);
    expect(check(join(root, 'README.md'), 'docs/nope.md')).toMatch(/no such file/);
    expect(check(join(root, 'README.md'), 'docs/formats.md#json-input-schema-polywire')).toBeUndefined();
  });
});
