/**
 * One line of a plan with its Markdown markup removed: heading marks, block quotes, bullet
 * markers, bold, backslash escapes (`1\.` → `1.`) and `<br>`; surrounding whitespace (also the
 * ideographic space used to indent Chinese paragraphs) trimmed. Ordered-list numbers are kept,
 * since they are the task numbers. Everything else is kept as written.
 */
export function cleanMarkdownLine(raw: string): string {
  let line = raw.replace(/<br\s*\/?>/gi, '').trim();
  if (/^([-*_])(\s*\1){2,}$/.test(line)) return '';
  line = line.replace(/^(>\s*)+/, '');
  if (/^#{1,6}(\s|$)/.test(line)) line = withoutClosingHashes(line.replace(/^#{1,6}/, '').trim());
  line = line.replace(/^[-*+]\s+/, '');
  line = line.replace(/\*\*|__/g, '');
  line = line.replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, '$1');
  return line.trim();
}

// Closing hashes of a heading count only after a space, as in Markdown: "标题 ##", not "C#".
function withoutClosingHashes(heading: string): string {
  let end = heading.length;
  while (end > 0 && heading.charAt(end - 1) === '#') end -= 1;
  const before = heading.slice(0, end);
  return end < heading.length && /\s$/.test(before) ? before.trimEnd() : heading;
}
