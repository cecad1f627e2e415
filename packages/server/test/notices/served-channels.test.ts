import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/create-logger.ts';
import { repoPaths } from '../../src/app/repo-paths.ts';
import type { RunningServer } from '../../src/app/run-server.ts';
import { runServer } from '../../src/app/run-server.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { reopenableDatabase, taskId } from '../support/test-server.ts';
import { startRobotReceiver, startSmtpServer } from './channel-receivers.ts';

/** Waits (polling, bounded by the test's timeout) until `done` holds: the server's own loop does the sending. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('a running server sends the channels from its own jobs loop', () => {
  let server: RunningServer;
  let mail: Awaited<ReturnType<typeof startSmtpServer>>;
  let robot: Awaited<ReturnType<typeof startRobotReceiver>>;
  beforeAll(async () => {
    mail = await startSmtpServer();
    robot = await startRobotReceiver();
    server = await runServer({
      db: await reopenableDatabase(),
      // PostgreSQL keeps the audit signing key outside the database.
      keyDir: mkdtempSync(join(tmpdir(), 'duban-keys-')),
      port: 0,
      host: '127.0.0.1',
      clock: new ManualClock('2023-05-10T09:00:00+08:00'),
      logger: createLogger({ level: 'silent' }),
      rateLimit: 0,
      plan: await loadPlanFile(repoPaths.samplePlan),
      smtp: { host: '127.0.0.1', port: mail.port, from: 'duban@example.gov.cn', startTls: false },
      allowLoopbackRobots: true,
    });
  });
  afterAll(async () => {
    await server?.close();
    await mail?.close();
    await robot?.close();
  });

  it('given 市水务局’s mailbox and robot set over the API, when the office urges task 7, then the urge is accepted and the mail and the robot message follow from the server’s own loop', async () => {
    const { token: office } = await server.tokens.create({ role: 'office', unit: null }, new Date('2023-05-10T09:00:00+08:00'));
    const put = (channel: string, body: unknown) =>
      fetch(`${server.url}/api/notice-channels/${encodeURIComponent('市水务局')}/${channel}`, { method: 'PUT', headers: { Authorization: `Bearer ${office}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('email', { address: 'shuiwuju@example.gov.cn' })).status).toBe(201);
    expect((await put('wecom', { url: `${robot.url}/cgi-bin/webhook/send?key=water` })).status).toBe(201);
    const urged = await fetch(`${server.url}/api/tasks/${taskId(7)}/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${office}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'URGE', message: '请尽快报送进展' }),
    });
    expect(urged.status).toBe(200);
    await until(() => mail.mails.length === 1 && robot.requests.length === 1);
    expect(mail.mails[0]!.subject).toBe('【督办】第7项任务');
    expect(mail.mails[0]!.to).toEqual(['shuiwuju@example.gov.cn']);
    expect(mail.mails[0]!.text).toContain('请尽快报送进展');
    expect((robot.requests[0]!.json as { msgtype: string }).msgtype).toBe('markdown');
  });
});
