import { randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AccountRole } from '../../accounts/account-roles.ts';
import { accountRoleLabels, principalRoleOf } from '../../accounts/account-roles.ts';
import type { RunningServer } from '../../app/run-server.ts';
import type { Clock } from '../../time/clock.ts';
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

/** A person of the demo: an account of each role, the script's units' staff among them. */
interface DemoPerson {
  readonly login: string;
  readonly name: string;
  readonly role: AccountRole;
  readonly unit?: string;
  /** What the sign-in list calls them; people not listed act only in the script. */
  readonly shown?: string;
}

const DEMO_PEOPLE: readonly DemoPerson[] = [
  { login: 'demo-office', name: '李督查（演示）', role: 'office-staff', shown: 'office staff' },
  { login: 'demo-reviewer', name: '周审查（演示）', role: 'reviewer', shown: 'a reviewer' },
  { login: 'demo-admin', name: '吴管理（演示）', role: 'admin', shown: 'an admin' },
  { login: 'demo-leader', name: '郑领导（演示）', role: 'leader', shown: 'a leader' },
  ...DEMO_UNITS.map((unit, n) => ({
    login: unit === '独山子区人民政府' ? 'demo-dszq' : unit === '市水务局' ? 'demo-slj' : `demo-unit${n + 1}`,
    name: `${unit === '独山子区人民政府' ? '赵敏' : unit === '市水务局' ? '王力' : `经办人${n + 1}`}（演示）`,
    role: 'unit-staff' as const,
    unit,
    ...(unit === '市水务局' ? { shown: "a lead unit's staff" } : unit === '独山子区人民政府' ? { shown: "a district government's staff" } : {}),
  })),
];

/** A password for a demo account: fresh each run, of the policy's alphabet and length, easy to type. */
function demoPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return `Demo-${Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
}

/**
 * Makes the demo's people: an account of each role with a password (no change asked at first sign-in),
 * and for those who act in the script a token acting as their account, so that the log names them.
 */
async function makeDemoPeople(server: RunningServer, clock: Clock): Promise<{ tokens: Map<string, string>; signIns: { person: DemoPerson; password: string }[] }> {
  const tokens = new Map<string, string>();
  const signIns: { person: DemoPerson; password: string }[] = [];
  for (const person of DEMO_PEOPLE) {
    const password = demoPassword();
    const account = await server.accounts.create({ login: person.login, displayName: person.name, role: person.role, unit: person.unit ?? null, password, mustChangePassword: false }, clock.now());
    if (person.shown !== undefined) signIns.push({ person, password });
    const role = principalRoleOf[person.role];
    if (role === 'office' || role === 'unit' || person.role === 'reviewer') {
      const { token } = await server.tokens.create({ role, unit: role === 'unit' ? account.unit : null, accountId: account.id, label: `demo: ${person.login}` }, clock.now());
      tokens.set(person.unit ?? role, token);
    }
  }
  return { tokens, signIns };
}

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
    const { tokens, signIns } = await makeDemoPeople(server, clock);
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
        `  演示账号（演示数据，密码仅本次演示有效）/ demo sign-ins at ${server.url}/login:`,
        ...signIns.map(({ person, password }) => `  ${accountRoleLabels[person.role]}${person.unit === undefined ? '' : `（${person.unit}）`} ${person.shown}: 登录名 login ${person.login}  密码 password ${password}`),
        `  办公室令牌 office token (API): ${tokenFor('office')}`,
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
