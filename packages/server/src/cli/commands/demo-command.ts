import { rmSync } from 'node:fs';
import { SimulatedClock } from '../../time/clock.ts';
import { DEMO_UNITS, demoSummary, playDemo } from '../demo-script.ts';
import { loadPlanFile } from '../../plans/load-plan-file.ts';
import { repoPaths } from '../../app/repo-paths.ts';
import { runServer } from '../../app/run-server.ts';
import { integer, parseCommandArgs } from '../cli-args.ts';
import type { CliIo } from '../cli-io.ts';
import { envLogger } from '../env-logger.ts';
import { DEFAULT_RATE_LIMIT } from './serve-command.ts';
import { serveUntilSignal } from '../serve-until-signal.ts';

const DEMO_START = '2023-05-10T09:00:00+08:00';

/**
 * `demo [--port N] [--exit]`: a fresh data/demo.db, the Karamay plan, a simulated clock from
 * 2023-05-10, the scripted scenario played over HTTP, a summary; then serves until Ctrl-C
 * (with --exit, stops at once; without --port it then listens on a free port).
 */
export async function demoCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { port: { type: 'string' }, exit: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const exit = values.exit === true;
  const port = integer(values.port, '--port', 0, 65535, exit ? 0 : 3000);
  const logger = envLogger('warn');
  const plan = await loadPlanFile(repoPaths.samplePlan);
  // The checkpoint file belongs to the log being thrown away (the signing key in demo.db.keys/ stays).
  for (const suffix of ['', '-wal', '-shm', '-journal', '.checkpoints']) rmSync(`${repoPaths.demoDb}${suffix}`, { force: true });

  const clock = new SimulatedClock(DEMO_START);
  const server = await runServer({ db: repoPaths.demoDb, port, host: '127.0.0.1', clock, logger, rateLimit: DEFAULT_RATE_LIMIT, plan });
  try {
    const tokens = new Map<string, string>();
    for (const role of ['office', 'reviewer'] as const) tokens.set(role, (await server.tokens.create({ role, label: `demo: ${role}` }, clock.now())).token);
    for (const unit of DEMO_UNITS) tokens.set(unit, (await server.tokens.create({ role: 'unit', unit, label: `demo: ${unit}` }, clock.now())).token);
    const tokenFor = (who: string) => {
      const token = tokens.get(who);
      if (token === undefined) throw new Error(`demo: no token for ${who}`);
      return token;
    };

    const tasks = await playDemo({ baseUrl: server.url, clock, fireTimers: () => server.scheduler.tick(), tokenFor, say: io.out });
    io.out('\n【演示数据 / DEMO】小结');
    for (const line of demoSummary(tasks)) io.out(`  ${line}`);
    const verify = (await (await fetch(`${server.url}/api/audit/verify`, { headers: { Authorization: `Bearer ${tokenFor('reviewer')}` } })).json()) as { ok: boolean; entries: number };
    io.out(`  审计日志校验：${verify.ok ? '完整' : '已被篡改'}，共 ${verify.entries} 条记录`);

    if (exit) {
      await server.close();
      return 0;
    }
    io.out(
      [
        '',
        `演示服务运行中 / demo server: ${server.url}  （数据库 ${repoPaths.demoDb}，模拟时钟从 ${clock.now().toISOString()} 起随真实时间走）`,
        `  办公室令牌 office token:   ${tokenFor('office')}`,
        `  审查令牌 reviewer token:   ${tokenFor('reviewer')}`,
        `  单位令牌 unit token (市水务局, a lead unit):            ${tokenFor('市水务局')}`,
        `  单位令牌 unit token (独山子区人民政府, a district):     ${tokenFor('独山子区人民政府')}`,
        '  在 /login 粘贴令牌登录，可分别查看办公室、审查和单位的页面 / sign in at /login with any of them.',
        `  试一试 try: curl -H "Authorization: Bearer ${tokenFor('office')}" "${server.url}/api/tasks?light=red&limit=5"`,
        '  Ctrl-C 停止 / to stop.',
      ].join('\n'),
    );
    return await serveUntilSignal(server, io);
  } catch (error) {
    await server.close();
    throw error;
  }
}
