import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const sources = files(src)
  .filter((path) => path.endsWith('.ts'))
  .map((path) => ({ path: relative(src, path), text: readFileSync(path, 'utf8') }));

/** The rooms (top folders of src/) a file imports from, with the import specifier. */
function importedRooms(file: { path: string; text: string }): { room: string; spec: string }[] {
  return [...file.text.matchAll(/from '(\.[^']*)'/g)].map(([, spec]) => {
    const target = relative(src, join(src, dirname(file.path), spec!));
    return { room: target.includes('/') ? target.slice(0, target.indexOf('/')) : '(root)', spec: spec! };
  });
}

const roomOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '(root)');

describe('server architecture', () => {
  it('keeps reports/ and audit/ free of the HTTP API, the pages, the CLI and the composition root', () => {
    const offenders = sources
      .filter((f) => ['reports', 'audit'].includes(roomOf(f.path)))
      .flatMap((f) => importedRooms(f).filter(({ room }) => ['api', 'web', 'cli', 'app'].includes(room)).map(({ spec }) => `${f.path} imports ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('keeps the API and the pages apart: what both need lives in tasks/, http/, auth/ or reports/', () => {
    const offenders = sources.flatMap((f) =>
      importedRooms(f)
        .filter(({ room }) => (roomOf(f.path) === 'api' && room === 'web') || (roomOf(f.path) === 'web' && room === 'api'))
        .map(({ spec }) => `${f.path} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('holds no more than 15 files in any folder root, so each concept is found by its folder', () => {
    const perFolder = new Map<string, number>();
    for (const f of sources) perFolder.set(dirname(f.path), (perFolder.get(dirname(f.path)) ?? 0) + 1);
    const crowded = [...perFolder].filter(([, count]) => count > 15).map(([folder, count]) => `${folder}: ${count}`);
    expect(crowded).toEqual([]);
  });

  it('builds HTTP problems only from the catalogue in http/problems.ts', () => {
    const builders = sources.filter((f) => /new HttpProblem\(/.test(f.text)).map((f) => f.path);
    expect(builders).toEqual(['http/problems.ts']);
  });

  it('writes each Chinese problem title once, in the catalogue', () => {
    const catalogue = sources.find((f) => f.path === 'http/problems.ts')!;
    const titles = [...catalogue.text.matchAll(/title: '([^']+)'/g)].map(([, title]) => title!);
    expect(titles.length).toBeGreaterThan(5);
    const copies = sources.filter((f) => f !== catalogue).flatMap((f) => titles.filter((title) => f.text.includes(`'${title}'`)).map((title) => `${f.path}: ${title}`));
    expect(copies).toEqual([]);
  });

  it('imports no XState: machines run only through the engine', () => {
    expect(sources.filter((f) => /from 'xstate'/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('reads the clock only in clock.ts: everything else gets time from a Clock', () => {
    const offenders = sources.filter((f) => f.path !== 'time/clock.ts' && /Date\.now\(|new Date\(\s*\)/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('files are kebab-case and import with explicit .ts extensions', () => {
    for (const f of sources) {
      expect(f.path).toMatch(/^([a-z0-9-]+\/)*[a-z0-9-]+\.ts$/);
      for (const [, spec] of f.text.matchAll(/from '(\.[^']*)'/g)) expect(spec, `${f.path} imports ${spec}`).toMatch(/\.(ts|json)$/);
    }
  });

  it('maps engine errors to HTTP in one place', () => {
    const mappers = sources.filter((f) => /instanceof (TransitionNotAllowed|VersionConflict|InvalidPayload)/.test(f.text)).map((f) => f.path);
    expect(mappers).toEqual(['http/problem-details.ts']);
  });

  it('builds the HTTP AuditEntry (instanceId renamed taskId) in one place', () => {
    const renamers = sources.filter((f) => /prevHash: \w+\.prevHash/.test(f.text)).map((f) => f.path);
    expect(renamers).toEqual(['api/audit-entry-view.ts']);
  });
});
