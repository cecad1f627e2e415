/**
 * `text` without the run of whitespace and of the given characters at its end. Linear time:
 * a `/[…]+$/` regex is quadratic on a long run of those characters that does not reach the end.
 */
export function trimEndChars(text: string, chars: string): string {
  let end = text.length;
  while (end > 0) {
    const char = text.charAt(end - 1);
    if (!chars.includes(char) && char.trim() !== '') break;
    end -= 1;
  }
  return text.slice(0, end);
}
