import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build, COMPILED_CLI_ARGS, transpileFile } from '../../scripts/build.mjs';

export const repoRoot = join(import.meta.dirname, '..', '..');

const BARE_EXPRESS = join(repoRoot, 'bench', 'dist', 'support', 'bare-express.js');

let built: Promise<void> | undefined;
/**
 * Compiles what the benchmarks run as child processes, once per process: the packages (`pnpm build`,
 * which leaves current ones alone) and the bare Express baseline. Both sides of a comparison then
 * run as plain JavaScript on plain `node`, with no tsx loader thread or source maps in either:
 * duban's numbers (RSS above all) are those of `pnpm start`, and the baseline pays no loader
 * duban does not.
 */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    await build();
    await transpileFile(join(repoRoot, 'bench', 'support', 'bare-express.ts'), BARE_EXPRESS);
  })();
  return built;
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `node ARGS…` (a compiled JavaScript entry: see ensureBuilt); resolves once `ready` matches its
 * output. BENCH_CPU_PROFILE=DIR writes a CPU profile of each child into DIR.
 */
export function startProcess(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [...(process.env['BENCH_CPU_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROFILE']}`] : []), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = output.match(ready);
      if (match) {
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before it was ready:\n${output}`)));
  });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts the baseline, a bare Express 5 endpoint (bench/support/bare-express.ts, compiled); `match[1]` is its port. */
export async function startBareExpress(): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  await ensureBuilt();
  return startProcess([BARE_EXPRESS], /port (\d+)/);
}

/** Starts `duban serve` (the compiled CLI, as `pnpm start` runs it) on a free port and waits until /healthz answers. */
export async function startServer(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  await ensureBuilt();
  const port = await freePort();
  const { child } = await startProcess([...COMPILED_CLI_ARGS, 'serve', '--port', String(port), ...args], /./, env);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`duban serve exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('duban serve did not answer /healthz within 60 s');
}
