import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { blockText } from '../../../../functions/core/release';
import { sanitizeReleaseHtml } from '../../../../functions/core/parse/html';
import { BODY, parseText, seed } from './helpers';

describe('HTML releases', () => {
  it('reads the Spanish seed: headline, deck, metadata, blockquote, list, links, About block, contact', async () => {
    const release = await parseRelease({ name: 'aguamar-es-2026.html', bytes: seed('aguamar-es-2026.html') });
    expect(release).toMatchObject({
      headline: 'Aguamar inaugura en Almería la mayor desaladora solar de Europa',
      subheadline: 'La planta producirá 60 millones de litros diarios de agua potable sin emisiones de CO2',
      language: 'es',
      languageSource: 'declared',
      canonicalUrl: 'https://prensa.aguamar.example/2026/11/desaladora-solar-almeria',
      date: '2026-11-19T11:00:00+01:00',
      categories: ['Agua', 'Energía solar'],
      sourceTag: { place: 'ALMERÍA', date: '19 de noviembre de 2026' },
    });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'quote', 'heading', 'paragraph', 'list', 'quote']);
    expect(release.body[1]).toMatchObject({
      content: expect.arrayContaining([
        { type: 'em', children: [{ type: 'text', text: 'cada año' }] },
        { type: 'link', href: 'https://www.chsegura.example/informes/2026', children: [{ type: 'text', text: 'confederación hidrográfica' }] },
      ]),
    });
    expect(release.boilerplates).toMatchObject([{ kind: 'issuer', title: 'Acerca de Aguamar' }]);
    expect(release.contacts).toEqual([expect.objectContaining({ name: 'Lucía Ferrer', email: 'prensa@aguamar.example', phone: '+34 950 555 214' })]);
    const text = JSON.stringify(release);
    expect(text).not.toMatch(/dataLayer|font-family|Inicio|Aviso legal|tracker|onclick/);
  });

  it('drops scripts, styles, iframes, event handlers and non-http(s) links', async () => {
    const html = `<html lang="en"><body><h1 onclick="evil()">Acme opens plant</h1>
      <p style="color:red">${BODY.en} <a href="javascript:alert(1)">bad</a> <a href="data:text/html;base64,PHNjcmlwdD4=">data</a>
      <a href="https://acme.example/plant" onmouseover="x()">good</a> <a href="mailto:press@acme.example">mail</a> <a href="//cdn.example/x">proto</a></p>
      <iframe src="https://evil.example"></iframe><object data="x.swf"></object><svg><script>alert(2)</script></svg>
      <img src="x" onerror="alert(3)"><style>p{}</style><template><p>hidden</p></template></body></html>`;
    const release = await parseText('xss.html', html);
    const links = release.body.flatMap((b) => ('content' in b ? b.content : [])).filter((n) => n.type === 'link');
    expect(links.map((l) => l.type === 'link' && l.href)).toEqual(['https://acme.example/plant', 'mailto:press@acme.example']);
    expect(JSON.stringify(release)).not.toMatch(/javascript|data:|evil|alert|onerror|onclick|color:red|hidden|cdn\.example/);
    expect(blockText(release.body[0]!)).toContain('bad data good mail proto');
  });

  it('sanitizeReleaseHtml keeps only structure', () => {
    expect(sanitizeReleaseHtml('<p onclick="x()" style="a" class="lead">Hi <b>there</b><script>x</script></p>')).toBe('<p class="lead">Hi <b>there</b></p>');
  });

  it('falls back to <title> when there is no <h1>, and reads <br> lines and nested lists', async () => {
    const release = await parseText(
      't.html',
      `<!doctype html><html lang="de"><head><title>Muster AG eröffnet Werk</title></head><body>
      <p>${BODY.de}</p><ul><li>eins<ul><li>zwei</li></ul></li><li><p>drei</p></li></ul>
      <table><tr><td>Umsatz</td><td>12 Mio. €</td></tr></table></body></html>`,
    );
    expect(release.headline).toBe('Muster AG eröffnet Werk');
    expect(release.body[1]).toEqual({ type: 'list', ordered: false, items: [[{ type: 'text', text: 'eins' }], [{ type: 'text', text: 'zwei' }], [{ type: 'text', text: 'drei' }]] });
    // A table is a table block (it used to be flattened into `Umsatz | 12 Mio. €`).
    expect(release.body[2]).toEqual({ type: 'table', head: [], body: [[{ content: [{ type: 'text', text: 'Umsatz' }] }, { content: [{ type: 'text', text: '12 Mio. €' }] }]] });
    expect(blockText(release.body[2]!)).toBe('Umsatz\t12 Mio. €');
  });

  it('reads only the <article> when the page has one', async () => {
    const release = await parseText(
      'a.html',
      `<html lang="en"><body><header><p>Site menu text that is not news</p></header>
      <article><h1>Acme opens plant</h1><p>${BODY.en}</p></article><aside><p>Related: other news</p></aside></body></html>`,
    );
    expect(release.body.map(blockText)).toEqual([BODY.en]);
  });
});
