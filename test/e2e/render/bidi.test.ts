/**
 * An Arabic page rendered in headless Chromium: a phone number, an e-mail address and a URL inside
 * right-to-left text must read left to right. Checked on the rendered layout — each character's
 * box (Range.getClientRects) must lie right of the previous one — not only on the markup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRelease } from '../../../functions/core/parse/index';
import { contentOf } from '../../../functions/core/release';
import { renderArticlePage } from '../../../functions/core/render/page';
import { EMPTY_LEDGER } from '../../../functions/core/variant';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const root = join(import.meta.dirname, '..', '..', '..');

const PHONE = '+971 6 555 0142';
const EMAIL = 'media@rimal-energy.example';
const URL_TEXT = 'https://www.rimal-energy.example';

let browser: Browser;
let page: Page;

/**
 * Left edges of the non-space characters of `needle` (searched in the text of `scope`), in logical
 * order. Runs in the page; written as a string because the project's types have no DOM library.
 */
const CHARACTER_LEFTS = `({ scope, needle }) => {
  const walker = document.createTreeWalker(document.querySelector(scope), NodeFilter.SHOW_TEXT);
  const parts = [];
  let text = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    parts.push({ node, start: text.length });
    text += node.data;
  }
  const at = text.indexOf(needle);
  if (at === -1) throw new Error('not found: ' + needle);
  const lefts = [];
  for (let i = at; i < at + needle.length; i++) {
    if (/\\s/.test(text[i])) continue;
    const part = parts.findLast((p) => p.start <= i);
    const range = document.createRange();
    range.setStart(part.node, i - part.start);
    range.setEnd(part.node, i - part.start + 1);
    lefts.push(range.getClientRects()[0].left);
  }
  return lefts;
}`;

async function characterLefts(target: Page, scope: string, needle: string): Promise<number[]> {
  return target.evaluate(`(${CHARACTER_LEFTS})(${JSON.stringify({ scope, needle })})`) as Promise<number[]>;
}

const isLeftToRight = (lefts: readonly number[]): boolean => lefts.every((left, i) => i === 0 || left > lefts[i - 1]!);

beforeAll(async () => {
  const release = await parseRelease({ name: 'ar.txt', bytes: readFileSync(join(root, 'test/fixtures/parse/lang/ar.txt')) });
  const html = renderArticlePage({
    site: { baseUrl: 'http://127.0.0.1:9', title: 'polywire newsroom' },
    release,
    variant: { releaseId: release.id, version: 1, language: 'ar', sourceLanguage: 'ar', content: contentOf(release), provenance: { kind: 'original', engine: 'none' }, ledger: EMPTY_LEDGER },
    languages: ['ar'],
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  // A second, unisolated copy of the same contact lines: proves the measurement can fail.
  await page.setContent(html.replace('</body>', `<p id="control" dir="rtl">الهاتف: ${PHONE} البريد الإلكتروني: ${EMAIL}</p></body>`));
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('an Arabic page in Chromium', () => {
  it('is laid out right to left', async () => {
    expect(await page.evaluate('getComputedStyle(document.documentElement).direction')).toBe('rtl');
  });

  it.each([
    ['phone number', PHONE],
    ['e-mail address', EMAIL],
    ['URL', URL_TEXT],
  ])('shows the %s in the contacts left to right', async (_, needle) => {
    const lefts = await characterLefts(page, '.contacts', needle);
    expect(lefts.length).toBeGreaterThan(5);
    expect(isLeftToRight(lefts), `character left edges: ${lefts.join(', ')}`).toBe(true);
  });

  it('shows the URL inside the disclaimer left to right', async () => {
    expect(isLeftToRight(await characterLefts(page, '.disclaimer', 'https://www.seaprwire.com/'))).toBe(true);
  });

  it('would show an unisolated phone number in right-to-left text out of order (the control)', async () => {
    expect(isLeftToRight(await characterLefts(page, '#control', PHONE))).toBe(false);
  });
});
