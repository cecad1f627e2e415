/**
 * `Content-Disposition: attachment` for a file name that may be Chinese (RFC 6266): an ASCII
 * `filename` fallback for old clients, and `filename*` in UTF-8 percent-encoding (RFC 8187, ex-5987)
 * that browsers prefer, e.g. 台账-2023-08-31.csv. Pure.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  if (!/^[\x20-\x7E]+$/.test(asciiFallback) || /["\\]/.test(asciiFallback)) throw new Error(`attachmentDisposition: fallback must be printable ASCII without quotes, got ${JSON.stringify(asciiFallback)}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

/** attr-char of RFC 8187 kept, every other byte of the UTF-8 percent-encoded. */
function encodeRfc8187(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
