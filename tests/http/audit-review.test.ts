import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createToken, duban, samplePlanJson, serve, taskId } from './support/duban-process.ts';

describe('an accountability review end to end: served checkpoints, the kept key, an export, a proof', () => {
  let dir: string;
  let db: string;
  let proofFile: string;
  let checkpointFile: string;

  beforeAll(async () => {
    // Given `duban serve` signing a checkpoint every 3 entries, where 市水务局 started task 7 and reported progress twice.
    dir = mkdtempSync(join(tmpdir(), 'duban-e2e-review-'));
    db = join(dir, 'review.db');
    const server = await serve(db, ['--plan', samplePlanJson, '--clock', '2023-05-10T09:00:00+08:00', '--checkpoint-seconds', '0', '--checkpoint-every', '3']);
    const water = client(server.url, await createToken(db, 'unit', '市水务局'));
    const reviewer = client(server.url, await createToken(db, 'reviewer'));
    expect((await water.event(taskId(7), { type: 'START' })).status).toBe(200);
    expect((await water.event(taskId(7), { type: 'PROGRESS', summary: '方案已定' })).status).toBe(200);
    expect((await water.event(taskId(7), { type: 'PROGRESS', summary: '过半', percent: 50 })).status).toBe(200);
    // The reviewer saves the newest checkpoint and a proof that the START entry (72) is under it.
    const listed = async () => (await reviewer.get('/api/audit/checkpoints')).body.items as { size: number; text: string }[];
    // The checkpoint after the 3rd entry is signed just after that entry commits: wait for it (at most 10 s).
    let checkpoints = await listed();
    for (let i = 0; i < 200 && checkpoints.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      checkpoints = await listed();
    }
    expect(checkpoints.map((c) => c.size)).toEqual([71, 74]);
    checkpointFile = join(dir, 'held-checkpoint.txt');
    writeFileSync(checkpointFile, checkpoints[1]!.text);
    const proof = await reviewer.get('/api/audit/entries/72/proof');
    expect(proof.body).toMatchObject({ seq: 72, size: 74, entry: { type: 'START', taskId: taskId(7) } });
    proofFile = join(dir, 'proof-72.json');
    writeFileSync(proofFile, JSON.stringify(proof.body));
    expect((await water.event(taskId(7), { type: 'PROGRESS', summary: '收尾' })).status).toBe(200);
    expect(await server.stop()).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the server gets SIGTERM, then it signs a last checkpoint, kept in the database and appended to <db>.checkpoints', () => {
    const file = readFileSync(`${db}.checkpoints`, 'utf8');
    expect([...file.matchAll(/^duban\/review\.db\n(\d+)\n/gm)].map((m) => Number(m[1]))).toEqual([71, 74, 75]);
    expect(existsSync(join(`${db}.keys`, 'audit-signing.pem'))).toBe(true);
  });

  it('when a reviewer runs `audit pubkey`, `audit export`, `audit verify --log` with the kept key and `audit prove` of the saved proof, then each exits 0', async () => {
    const pubkey = await duban('audit', 'pubkey', '--db', db);
    expect(pubkey.code, pubkey.stderr).toBe(0);
    const keyFile = join(dir, 'kept.pem');
    writeFileSync(keyFile, pubkey.stdout);

    const out = join(dir, 'export');
    const exported = await duban('audit', 'export', '--db', db, '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/exported 75 entries and 3 signed checkpoint\(s\) of log duban\/review\.db/);

    const verified = await duban('audit', 'verify', '--log', out, '--pubkey', keyFile, '--checkpoint', checkpointFile);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/audit log intact: 75 entries, 3 signed checkpoint\(s\) verified/);

    const proved = await duban('audit', 'prove', '--entry', proofFile, '--checkpoint', checkpointFile, '--pubkey', keyFile);
    expect(proved.code, proved.stdout + proved.stderr).toBe(0);
    expect(proved.stdout).toMatch(/^VALID: entry 72 /);
  }, 120_000);
});
