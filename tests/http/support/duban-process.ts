import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const samplePlanJson = join(repoRoot, 'data', 'plans', 'karamay-2023-fangguanfu.json');
export const samplePlanMd = join(repoRoot, 'data', 'plans', 'karamay-2023-fangguanfu.md');
export const taskId = (n: number) => `karamay-2023-fangguanfu.${String(n).padStart(3, '0')}`;

const CLI = join(repoRoot, 'packages', 'server', 'src', 'cli.ts');

/** A free port on the loopback interface (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function spawnCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  // One node process (tsx as a loader), so signals reach the CLI itself.
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `duban …` to the end. */
export async function duban(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** A `duban serve` child process. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `duban serve --db FILE --port N …` and waits until /healthz answers. */
export async function serve(db: string, extra: string[] = []): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawnCli(['serve', '--db', db, '--port', String(port), ...extra]);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`duban serve exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`duban serve did not answer within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** A token issued with `duban token create` (its last line). */
export async function createToken(db: string, role: string, unit?: string): Promise<string> {
  const result = await duban('token', 'create', '--db', db, '--role', role, ...(unit === undefined ? [] : ['--unit', unit]));
  if (result.code !== 0) throw new Error(`token create failed (${result.code}): ${result.stderr}`);
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  return last;
}

/** An API client for one server and token. */
export function client(url: string, token: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };
  return {
    get: (path: string) => call('GET', path),
    event: (id: string, body: Record<string, unknown>, headers?: Record<string, string>) => call('POST', `/api/tasks/${id}/events`, body, headers),
  };
}
