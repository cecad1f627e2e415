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

const sources = files(src)
  .filter((path) => path.endsWith('.ts'))
  .map((path) => ({ path: relative(src, path), text: readFileSync(path, 'utf8') }));

describe('server architecture', () => {
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
