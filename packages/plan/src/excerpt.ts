/** The start of a long line, for quoting it in a warning. */
export function excerpt(text: string, length = 30): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
