/**
 * The one stylesheet, served as `assets/site.css` (same origin, so the CSP needs no inline style
 * or hash). Logical properties (`margin-inline`, `border-inline-start`) make it work for
 * right-to-left pages without a second sheet; system fonts cover every wire script.
 */
export const SITE_CSS = `:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#5f6368;--accent:#0b57d0;--note:#fff4d6;--rule:#e3e3e3}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#141414;--muted:#a0a0a0;--accent:#8ab4f8;--note:#3a3320;--rule:#333}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Thai","Noto Sans CJK SC",sans-serif;overflow-wrap:anywhere}
header.site,main,footer{max-width:42rem;margin-inline:auto;padding-inline:1rem}
header.site{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;padding-block:.75rem;border-block-end:1px solid var(--rule);font-weight:600}
header.site a{color:inherit;text-decoration:none}
header.site .all-languages{font-weight:400;color:var(--accent)}
main{padding-block:1rem 2rem}
h1{font-size:1.6rem;line-height:1.25;margin-block:.5rem}
h2{font-size:1.15rem;line-height:1.3;margin-block:1.5rem .5rem}
a{color:var(--accent)}
.subheadline{font-size:1.15rem;color:var(--muted);margin-block:.25rem 1rem}
.meta{color:var(--muted);font-size:.9rem}
.dateline{font-weight:600}
.notice{background:var(--note);border-inline-start:4px solid #c89400;padding:.5rem .75rem;border-radius:4px;font-size:.95rem}
blockquote{margin-inline:0;padding-inline-start:1rem;border-inline-start:3px solid var(--rule)}
ul.categories{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem;font-size:.85rem}
ul.categories li a,ul.categories li[aria-current]{display:inline-block;padding:.1rem .6rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none}
.disclaimer,.boilerplate,.contacts{font-size:.95rem}
.disclaimer{color:var(--muted)}
.boilerplate,.contacts,nav.languages{border-block-start:1px solid var(--rule);margin-block-start:1.5rem}
nav.languages ul,.language-picker ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}
nav.languages li[aria-current] span{font-weight:700}
ol.releases{list-style:none;padding:0}
ol.releases li{border-block-end:1px solid var(--rule);padding-block:.5rem}
ol.releases h2{margin-block:.25rem;font-size:1.1rem}
.badge{font-size:.8rem;padding:0 .4rem;border:1px solid var(--rule);border-radius:.3rem}
section.language{margin-block:1.5rem}
.table-scroll{max-width:100%;overflow-x:auto;margin-block:1rem}
.table-scroll table{border-collapse:collapse;font-size:.95rem;min-width:100%}
.table-scroll caption{caption-side:top;text-align:start;font-weight:600;padding-block-end:.25rem}
.table-scroll th,.table-scroll td{padding:.3rem .6rem;border-block-end:1px solid var(--rule);text-align:start;vertical-align:top}
.table-scroll thead th{border-block-end-width:2px}
.table-scroll .figure{font-variant-numeric:tabular-nums;white-space:nowrap}
.table-scroll .align-end{text-align:end}
.table-scroll .align-center{text-align:center}
figure.picture{margin:1rem 0}
figure.picture img{display:block;max-width:100%;height:auto}
figure.picture figcaption{color:var(--muted);font-size:.9rem;margin-block-start:.25rem}
footer{color:var(--muted);font-size:.9rem;padding-block:1rem 2rem;border-block-start:1px solid var(--rule)}
`;
