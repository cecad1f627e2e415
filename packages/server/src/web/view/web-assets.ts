import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A static file the pages use, served from memory. */
export interface WebAsset {
  readonly body: Buffer;
  readonly type: string;
  /** The URL pages link to: the file name with a hash of its content, so a changed file is fetched anew. */
  readonly url: string;
}

function load(name: string, type: string): WebAsset {
  const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { body, type, url: `/assets/${name}?v=${hash}` };
}

/** The pages' stylesheet, script and icon (read once, when the module loads). */
export const webAssets = {
  css: load('duban.css', 'text/css; charset=utf-8'),
  js: load('duban.js', 'text/javascript; charset=utf-8'),
  icon: load('favicon.svg', 'image/svg+xml'),
} as const;
