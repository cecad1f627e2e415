import type { Circular } from './circular.ts';
import { circularHeadings } from './circular.ts';
import { circularTaskText, circularUnitText } from './circular-markdown.ts';

// Official documents (GB/T 9704): A4, title in 小标宋 二号, body in 仿宋 三号, margins 37/26/35/28 mm.
const STYLE = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #f2f2f2; color: #000; font: 16pt/1.75 FangSong, "仿宋", "仿宋_GB2312", STFangsong, serif; }
main { max-width: 210mm; margin: 24px auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 8px rgba(0, 0, 0, .2); }
h1 { margin: 0 0 1.2em; text-align: center; font: 22pt/1.5 "方正小标宋简体", "FZXiaoBiaoSong-B05S", SimSun, "宋体", serif; }
h2 { margin: 1em 0 .2em; font: 16pt/1.75 SimHei, "黑体", sans-serif; }
p { margin: 0; text-indent: 2em; }
p.addressees { text-indent: 0; }
ul { margin: 0; padding: 0 0 0 2em; list-style: none; }
li { text-indent: -1em; padding-left: 1em; }
li::before { content: "· "; }
.signature { margin-top: 2em; text-align: right; text-indent: 0; padding-right: 2em; }
.signature + .signature { margin-top: 0; }
@media print {
  body { background: #fff; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h2 { break-after: avoid; }
  li, p { break-inside: avoid; orphans: 2; widows: 2; }
}
`;

/** The circular as a self-contained printable HTML page (lang zh-CN, inline CSS, all text escaped). Pure. */
export function circularHtml(circular: Circular): string {
  const { sections } = circular;
  const section = (heading: string, body: string[]) => [`<h2>${heading}</h2>`, ...body].join('\n');
  const paragraphs = (texts: readonly string[]) => texts.map((text) => `<p>${escapeHtml(text)}</p>`);
  const items = (texts: readonly string[]) => (texts.length === 0 ? [] : [`<ul>\n${texts.map((text) => `<li>${escapeHtml(text)}</li>`).join('\n')}\n</ul>`]);
  const body = [
    `<h1>${escapeHtml(circular.title)}</h1>`,
    `<p class="addressees">${escapeHtml(circular.addressees)}：</p>`,
    ...paragraphs([circular.opening]),
    section(circularHeadings.overview, paragraphs(sections.overview)),
    section(circularHeadings.completed, [...paragraphs([sections.completed.intro]), ...items(sections.completed.tasks.map(circularTaskText))]),
    section(circularHeadings.overdue, [...paragraphs([sections.overdue.intro]), ...items(sections.overdue.tasks.map(circularTaskText))]),
    section(circularHeadings.commended, [...paragraphs([sections.commended.intro]), ...items(sections.commended.units.map(circularUnitText))]),
    section(circularHeadings.criticised, [...paragraphs([sections.criticised.intro]), ...items(sections.criticised.units.map(circularUnitText))]),
    section(circularHeadings.requirements, paragraphs(sections.requirements)),
    `<p class="signature">${escapeHtml(circular.issuer)}</p>`,
    `<p class="signature">${escapeHtml(circular.issuedOn)}</p>`,
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(circular.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. Pure. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
