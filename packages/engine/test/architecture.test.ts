import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const sources = files(src).map((path) => ({ path: relative(src, path), text: readFileSync(path, 'utf8') }));

describe('engine architecture', () => {
  it('reads no clock: time is always passed in', () => {
    expect(sources.filter((f) => /Date\.now\(|new Date\(\s*\)/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('knows no reform-specific word', () => {
    // 'unit' is allowed: an actor acts for an organisational unit in any workflow.
    const words = /reform|task|plan|office|deadline|督办|任务|牵头|约谈|问责/i;
    const offenders = sources.filter((f) => f.text.split('\n').some((line) => words.test(line.replace(/\/\/.*|\*.*/, '')))).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('uses XState only through its adapter, xstate-adapter.ts', () => {
    expect(sources.filter((f) => /from 'xstate'/.test(f.text)).map((f) => f.path)).toEqual(['xstate-adapter.ts']);
  });

  it('imports better-sqlite3 only in its SQLite store file, and pg only in its PostgreSQL file', () => {
    expect(sources.filter((f) => /from 'better-sqlite3'/.test(f.text)).map((f) => f.path)).toEqual(['store/sqlite.ts']);
    expect(sources.filter((f) => /from 'pg'/.test(f.text)).map((f) => f.path)).toEqual(['store/postgres.ts']);
  });
});
