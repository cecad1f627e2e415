import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const documents = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((path) => path !== '' && !path.includes('node_modules/') && existsSync(join(root, path)));

/** Every relative link in the repository's Markdown, with the file it points at. */
const links = documents.flatMap((document) =>
  [...readFileSync(join(root, document), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, href]) => href!.split('#')[0]!)
    .filter((href) => href !== '' && !/^[a-z]+:/.test(href))
    .map((href) => ({ document, href, target: resolve(root, dirname(document), href) })),
);

describe('the documentation', () => {
  it('when the README and docs are read, then they link only files inside the repository, and every one exists', () => {
    expect(links.length).toBeGreaterThan(3);
    const broken = links
      .filter(({ target }) => relative(root, target).startsWith('..') || !existsSync(target))
      .map(({ document, href }) => `${document} → ${href}`);
    expect(broken).toEqual([]);
  });
});
