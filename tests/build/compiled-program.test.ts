import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../../packages/server/src/index.ts';
import { freePort, samplePlanJson, repoRoot } from '../http/support/duban-process.ts';

// `pnpm start`, `demo` and `duban` run packages/*/dist (scripts/build.mjs), not the sources through
// tsx. These tests build, then run the compiled program as those scripts do, on a plain `node` that
// cannot load a .ts file at all: it succeeds only if every module it loads is compiled and current.

const CLI = join(repoRoot, 'packages', 'server', 'dist', 'cli.js');
// Node 22.6+ could strip types itself; forbid it, so that a stray .ts import fails on any Node.
const NO_TS = process.allowedNodeEnvironmentFlags.has('--experimental-strip-types') ? ['--no-experimental-strip-types'] : [];

/** The workspace packages with sources, as scripts/build.mjs finds them (found again here, not taken from it). */
const packages = ['packages', 'workflows'].flatMap((group) =>
  readdirSync(join(repoRoot, group))
    .map((name) => join(repoRoot, group, name))
    .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))),
);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** `node ARGS…` with no loader: no tsx flag, no NODE_OPTIONS; resolves with its exit code and output. */
function node(args: readonly string[], options: { env?: Record<string, string>; until?: (output: string) => boolean } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...options.env };
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, [...NO_TS, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => ({ stdout, stderr }),
    done: async () => ({ code: await exited, stdout, stderr }),
  };
}

const runBuild = (...args: string[]) => node([join(repoRoot, 'scripts', 'build.mjs'), ...args]).done();

describe('the build (scripts/build.mjs)', () => {
  beforeAll(async () => {
    // Two at once: the second waits for the first's lock; neither may leave a half-written dist/.
    const [first, second] = await Promise.all([runBuild('--force'), runBuild('--force')]);
    expect(first, first.stderr).toMatchObject({ code: 0, stdout: '' });
    expect(second, second.stderr).toMatchObject({ code: 0, stdout: '' });
  });

  it('when the packages are read, then every one has the duban-dist export condition and the scripts run dist/ with it', () => {
    for (const dir of packages) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: unknown };
      expect(manifest.exports, dir).toEqual({ '.': { 'duban-dist': './dist/index.js', default: './src/index.ts' } });
    }
    const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const compiled = 'node scripts/build.mjs && node --conditions=duban-dist packages/server/dist/cli.js';
    expect(scripts['duban']).toBe(compiled);
    expect(scripts['start']).toBe(`${compiled} start`);
    expect(scripts['demo']).toBe(`${compiled} demo`);
  });

  it('when the build runs, then it writes a .js for every .ts under src/, a copy of every other file, and nothing else', () => {
    for (const dir of packages) {
      const src = filesUnder(join(dir, 'src')).filter((file) => !file.endsWith('.d.ts'));
      const dist = filesUnder(join(dir, 'dist')).filter((file) => !file.endsWith('.js.map') && file !== '.build-stamp');
      expect(dist, dir).toEqual(src.map((file) => file.replace(/\.ts$/, '.js')).sort());
      for (const file of src.filter((f) => !f.endsWith('.ts'))) {
        expect(readFileSync(join(dir, 'dist', file)).equals(readFileSync(join(dir, 'src', file))), `${dir}/dist/${file}`).toBe(true);
      }
      for (const file of dist.filter((f) => f.endsWith('.js') && src.includes(f.replace(/\.js$/, '.ts')))) {
        // Imports name compiled files only.
        expect(readFileSync(join(dir, 'dist', file), 'utf8'), `${dir}/dist/${file}`).not.toMatch(/["']\.\.?\/[^"'\n]*\.ts["']/);
      }
    }
    // No build left its scratch directories behind.
    for (const dir of packages) expect(readdirSync(dir).filter((name) => /^dist\./.test(name)), dir).toEqual([]);
  });

  it('given one stale package, when the build runs again, then it rebuilds that one and leaves current packages alone', async () => {
    const again = await runBuild();
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    const plan = packages.find((dir) => dir.endsWith(`${sep}plan`))!;
    writeFileSync(join(plan, 'dist', '.build-stamp'), '{"hash":"stale"}\n');
    const rebuilt = await runBuild();
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(/^build: packages\/plan\/dist in \d+ ms\n$/);
  });
});

describe('the compiled program, on node without tsx', () => {
  let dir: string;
  let server: ReturnType<typeof node> | undefined;
  let url: string;

  beforeAll(async () => {
    const built = await runBuild();
    expect(built.code, built.stderr).toBe(0);
    dir = mkdtempSync(join(tmpdir(), 'duban-compiled-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = node(['--conditions=duban-dist', CLI, 'serve', '--db', join(dir, 'compiled.db'), '--port', String(port), '--plan', samplePlanJson, '--clock', '2023-05-10T09:00:00+08:00']);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.child.exitCode !== null) throw new Error(`duban serve exited with ${server.child.exitCode}:\n${server.output().stderr}`);
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
      if (Date.now() > deadline) throw new Error(`duban serve did not answer within 30 s:\n${server.output().stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    if (server !== undefined && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.done();
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('when the compiled program runs, then it cannot load the sources: node refuses a .ts file, and dist/cli.js without the condition', async () => {
    const source = await node([join(repoRoot, 'packages', 'server', 'src', 'cli.ts'), 'help']).done();
    expect(source.code).not.toBe(0);
    expect(source.stderr).toContain('ERR_UNKNOWN_FILE_EXTENSION');
    // Without --conditions=duban-dist, the workspace packages resolve to their src/index.ts (which one Node
    // reaches first depends on the order modules load).
    const unconditioned = await node([CLI, 'help']).done();
    expect(unconditioned.code).not.toBe(0);
    expect(unconditioned.stderr).toMatch(/ERR_UNKNOWN_FILE_EXTENSION[\s\S]*(packages|workflows)\/[a-z-]+\/src\/index\.ts/);
  });

  it('when the compiled `help` runs, then it prints the usage of the current sources and exits 0', async () => {
    const help = await node(['--conditions=duban-dist', CLI, 'help']).done();
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(`${USAGE}\n`);
  });

  it('when the compiled `serve` runs, then it answers /healthz, serves the web assets as they are in src/, and the plan to a token from `token create`', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    for (const name of ['duban.css', 'duban.js', 'favicon.svg']) {
      const response = await fetch(`${url}/assets/${name}`);
      expect(response.status, name).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(repoRoot, 'packages', 'server', 'src', 'web', 'view', 'assets', name))), name).toBe(true);
    }
    const created = await node(['--conditions=duban-dist', CLI, 'token', 'create', '--db', join(dir, 'compiled.db'), '--role', 'office']).done();
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    const get = (path: string) => fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const tasks = (await (await get('/api/tasks?limit=1000')).json()) as { items: unknown[] };
    expect(tasks.items).toHaveLength(71);
    // The assessment rules (a JSON import reaching out of src/) and the unit registry (another) load.
    const units = await get('/api/reports/units');
    expect(units.status).toBe(200);
    expect(((await units.json()) as { units: unknown[] }).units.length).toBeGreaterThan(0);
  });
});
