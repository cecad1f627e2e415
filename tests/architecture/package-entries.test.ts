import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every import in tests/ and bench/ that reaches into a package's or workflow's src/. */
const sourceImports = ['tests', 'bench']
  .flatMap((dir) => files(join(root, dir)))
  .filter((path) => /\.(ts|mjs)$/.test(path))
  .flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/from '(\.[^']*)'/g)]
      .map(([, spec]) => ({ file: relative(root, path), target: relative(root, join(dirname(path), spec!)) }))
      .filter(({ target }) => /^(packages|workflows)\/[^/]+\/src\//.test(target)),
  );

describe('tests and benchmarks use the packages as their users do', () => {
  it('when tests/ and bench/ are read, then they import each package through its src/index.ts only', () => {
    expect(sourceImports.length).toBeGreaterThan(0);
    const inside = sourceImports.filter(({ target }) => !/^(packages|workflows)\/[^/]+\/src\/index\.ts$/.test(target)).map(({ file, target }) => `${file} imports ${target}`);
    expect(inside).toEqual([]);
  });
});
