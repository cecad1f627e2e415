import { html, trustedHtml } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
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
p.number { text-indent: 0; text-align: center; margin: -.6em 0 1.2em; }
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

/** The circular as a self-contained printable HTML page (lang zh-CN, inline CSS, all text escaped by `html`). Pure. */
export function circularHtml(circular: Circular): string {
  const { sections } = circular;
  const lines = (parts: readonly SafeHtml[]) => trustedHtml(parts.map(String).join('\n'));
  const section = (heading: string, body: readonly SafeHtml[]) => lines([html`<h2>${heading}</h2>`, ...body]);
  const paragraphs = (texts: readonly string[]) => texts.map((text) => html`<p>${text}</p>`);
  const items = (texts: readonly string[]) => (texts.length === 0 ? [] : [html`<ul>\n${lines(texts.map((text) => html`<li>${text}</li>`))}\n</ul>`]);
  const body = [
    html`<h1>${circular.title}</h1>`,
    ...(circular.number === undefined ? [] : [html`<p class="number">${circular.number}</p>`]),
    html`<p class="addressees">${circular.addressees}：</p>`,
    ...paragraphs([circular.opening]),
    section(circularHeadings.overview, [
      ...paragraphs(sections.overview),
      ...(sections.instructions.items.length === 0 ? [] : [...paragraphs([sections.instructions.intro]), ...items(sections.instructions.items)]),
    ]),
    section(circularHeadings.completed, [...paragraphs([sections.completed.intro]), ...items(sections.completed.tasks.map(circularTaskText))]),
    section(circularHeadings.overdue, [...paragraphs([sections.overdue.intro]), ...items(sections.overdue.tasks.map(circularTaskText))]),
    section(circularHeadings.commended, [...paragraphs([sections.commended.intro]), ...items(sections.commended.units.map(circularUnitText))]),
    section(circularHeadings.criticised, [...paragraphs([sections.criticised.intro]), ...items(sections.criticised.units.map(circularUnitText))]),
    section(circularHeadings.requirements, paragraphs(sections.requirements)),
    html`<p class="signature">${circular.issuer}</p>`,
    html`<p class="signature">${circular.issuedOn}</p>`,
  ];
  return `${lines([
    trustedHtml('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">'),
    html`<title>${circular.title}</title>`,
    trustedHtml(`<style>${STYLE}</style>\n</head>\n<body>\n<main>`),
    ...body,
    trustedHtml('</main>\n</body>\n</html>'),
  ])}\n`;
}
