import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, freePort, repoRoot, taskId } from './support/duban-process.ts';

const CLI = join(repoRoot, 'packages', 'server', 'src', 'cli.ts');

async function runCli(args: string[], env: Record<string, string>, until?: (output: string) => boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = once(child, 'exit');
  const ready = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until?.(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => resolve());
  });
  await ready;
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return ((await exited) as [number | null])[0];
    },
  };
}

describe('`duban start` (what `pnpm start` runs)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'duban-start-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when `duban start` runs, then it serves the Karamay plan, writes tokens (0600) for admin, office, reviewer and every lead unit, and reuses them on restart', async () => {
    const port = await freePort();
    const env = { DUBAN_DATA_DIR: dataDir, PORT: String(port) };
    const first = await runCli(['start'], env, (o) => o.includes('Ctrl-C'));
    const tokensFile = join(dataDir, 'secrets', 'tokens.json');
    expect(first.output()).toContain(tokensFile);
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    expect(first.output()).toMatch(/sign in: +http:\/\/127\.0\.0\.1:\d+\/login\/code as "admin" with the one-time code [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4} /);
    expect(statSync(tokensFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(tokensFile, 'utf8')) as { tokens: { role: string; unit: string | null; token: string }[] };
    expect(saved.tokens.filter((t) => t.role !== 'unit').map((t) => t.role).sort()).toEqual(['admin', 'office', 'reviewer']);
    expect(saved.tokens.filter((t) => t.role === 'unit')).toHaveLength(20);
    const office = saved.tokens.find((t) => t.role === 'office')!.token;
    expect((await client(`http://127.0.0.1:${port}`, office).get('/api/tasks?limit=1000')).body.items).toHaveLength(71);
    expect(await first.stop()).toBe(0);

    const second = await runCli(['start'], env, (o) => o.includes('Ctrl-C'));
    expect(second.output()).toMatch(/reused/);
    expect(second.output()).not.toMatch(/with the one-time code/);
    expect(JSON.parse(readFileSync(tokensFile, 'utf8')).tokens).toEqual(saved.tokens);
    expect((await client(`http://127.0.0.1:${port}`, office).get(`/api/tasks/${taskId(1)}`)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });
});

describe('`duban demo --exit`', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'duban-demo-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given a fresh database, when `duban demo --exit` runs, then it plays the labelled scenario over HTTP, prints the summary and exits 0', async () => {
    const started = Date.now();
    const demo = await runCli(['demo', '--exit'], { DUBAN_DATA_DIR: dataDir });
    expect(await demo.stop()).toBe(0);
    const output = demo.output();
    expect(output).toContain('【演示数据 / DEMO】');
    for (const word of ['签收启动', '退回', '核验通过', '销号', '启动约谈', '约谈记录', '移交问责', '逾期']) expect(output).toContain(word);
    expect(output).toMatch(/共 71 项任务/);
    expect(output).toMatch(/审计日志校验：完整/);
    expect(existsSync(join(dataDir, 'demo.db'))).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('`duban demo` (serving after the script)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'duban-demo-serve-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given the script played, when it keeps serving, then it prints a sign-in (login and password) for office staff, a reviewer, an admin, a leader, a lead unit\'s staff and a district government\'s staff, and each opens its start page', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const demo = await runCli(['demo', '--port', String(port)], { DUBAN_DATA_DIR: dataDir }, (output) => output.includes('Ctrl-C'));
    try {
      const output = demo.output();
      const signIns = [...output.matchAll(/^ +(\S+) ([^:\n]+): 登录名 login (\S+) +密码 password (\S+)$/gm)].map(([, label, who, login, password]) => ({ label: label!, who: who!, login: login!, password: password! }));
      expect(signIns.map((s) => s.who), output).toEqual(['office staff', 'a reviewer', 'an admin', 'a leader', "a lead unit's staff", "a district government's staff"]);
      expect(signIns.map((s) => s.label)).toEqual(['督查办工作人员', '问责审查人员', '系统管理员', '领导', '责任单位经办人（市水务局）', '责任单位经办人（独山子区人民政府）']);
      expect(output).toContain('演示账号（演示数据');
      const landings = [];
      for (const { login, password } of signIns) {
        const form = await fetch(`${base}/login`);
        const cookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
        const signedIn = await fetch(`${base}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, login, password }),
        });
        expect(signedIn.status, login).toBe(303);
        landings.push(signedIn.headers.get('location'));
      }
      expect(landings).toEqual(['/dashboard', '/audit', '/dashboard', '/dashboard', '/mine', '/mine']);
      const office = /office token \(API\): (\S+)/.exec(output)?.[1];
      expect((await fetch(`${base}/api/tasks?limit=1`, { headers: { Authorization: `Bearer ${office}` } })).status).toBe(200);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  });
});
