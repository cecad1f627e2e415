import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, signCheckpoint, verifyConsistency, verifyInclusion } from '@duban/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publicKeyPem } from '../../src/audit/keys/audit-signing-key.ts';
import { checkpointListResponse, consistencyProofResponse, inclusionProofResponse } from '../../src/api/schemas.ts';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';
import { runCli } from '../support/run-cli.ts';

const key = generateKeyPairSync('ed25519');
const signer = { origin: 'duban/test', privateKey: key.privateKey, publicKey: key.publicKey };

interface Checkpoints {
  items: { size: number; rootHash: string; time: string; text: string }[];
  next: number | null;
}
interface InclusionProof {
  seq: number;
  size: number;
  leafHash: string;
  rootHash: string;
  proof: string[];
  entry: { seq: number; taskId: string; type: string; hash: string; payload: Record<string, unknown> };
}
interface ConsistencyProof {
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  proof: string[];
}

describe('the proof endpoints', () => {
  let s: TestServer;
  let reviewer: string;
  let office: string;
  let water: string;
  let dir: string;
  const get = async <T>(path: string, token = reviewer) => {
    const response = await s.request(path, { token });
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    // Given the plan (entries 1..71), task 7 started and progressed (72, 73), a checkpoint at 73,
    // two more progress reports (74, 75), a checkpoint at 75, and one more entry (76) not yet signed.
    s = await startTestServer({ auditKey: signer });
    dir = mkdtempSync(join(tmpdir(), 'duban-proofs-'));
    reviewer = await s.token('reviewer');
    office = await s.token('office');
    water = await s.token('unit', '市水务局');
    s.clock.set('2023-05-11T10:00:00+08:00');
    expect((await s.send(water, taskId(7), { type: 'START' })).status).toBe(200);
    expect((await s.send(water, taskId(7), { type: 'PROGRESS', summary: '第一次' })).status).toBe(200);
    await s.engine.issueCheckpoint(signer, s.clock.now());
    for (const summary of ['第二次', '第三次']) expect((await s.send(water, taskId(7), { type: 'PROGRESS', summary })).status).toBe(200);
    await s.engine.issueCheckpoint(signer, s.clock.now());
    expect((await s.send(water, taskId(7), { type: 'PROGRESS', summary: '第四次' })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a reviewer asks GET /api/audit/checkpoints, then it lists the signed checkpoints, each verifiable with the public key', async () => {
    const { items } = await get<Checkpoints>('/api/audit/checkpoints');
    expect(items.map((c) => c.size)).toEqual([73, 75]);
    for (const c of items) expect(openCheckpoint(c.text, key.publicKey)).toEqual({ ok: true, checkpoint: { origin: 'duban/test', size: c.size, rootHash: c.rootHash, time: c.time } });
  });

  it('when a reviewer pages GET /api/audit/checkpoints with after= and limit=, then it pages by log size, as /api/audit pages by seq', async () => {
    const all = await get<Checkpoints>('/api/audit/checkpoints');
    expect(checkpointListResponse.safeParse(all).error).toBeUndefined();
    // Fewer than the default limit (100): one page, no next.
    expect(all.next).toBeNull();

    const first = await get<Checkpoints>('/api/audit/checkpoints?limit=1');
    expect(first).toEqual({ items: [all.items[0]], next: 73 });
    const second = await get<Checkpoints>(`/api/audit/checkpoints?after=${first.next}&limit=1`);
    expect(second).toEqual({ items: [all.items[1]], next: 75 });
    // A full page may be the last: the next one is empty and ends the walk.
    expect(await get<Checkpoints>(`/api/audit/checkpoints?after=${second.next}&limit=1`)).toEqual({ items: [], next: null });

    // `after` is a log size, not a position: checkpoints of larger logs than it.
    expect((await get<Checkpoints>('/api/audit/checkpoints?after=74')).items.map((c) => c.size)).toEqual([75]);
    expect(await get<Checkpoints>('/api/audit/checkpoints?after=0&limit=2')).toEqual({ items: all.items, next: 75 });
  });

  it('when a reviewer asks GET /api/audit/checkpoints for a page, then the server reads that page from the database, not every checkpoint', async () => {
    const everything = vi.spyOn(s.engine, 'checkpoints');
    const paged = vi.spyOn(s.engine.store, 'checkpointsAfter');
    try {
      expect((await get<Checkpoints>('/api/audit/checkpoints?after=73&limit=1')).items.map((c) => c.size)).toEqual([75]);
      expect(everything).not.toHaveBeenCalled();
      expect(paged.mock.calls).toEqual([[73, 1]]);
    } finally {
      everything.mockRestore();
      paged.mockRestore();
    }
  });

  it('when a reviewer asks GET /api/audit/entries/:seq/proof, then it proves the entry against the latest checkpoint holding it, or the one of ?size=, or the whole log', async () => {
    const { items } = await get<Checkpoints>('/api/audit/checkpoints');
    const byDefault = await get<InclusionProof>('/api/audit/entries/72/proof');
    expect(inclusionProofResponse.safeParse(byDefault).error).toBeUndefined();
    expect(byDefault).toMatchObject({ seq: 72, size: 75, rootHash: items[1]!.rootHash, entry: { seq: 72, taskId: taskId(7), type: 'START' } });
    expect(byDefault.entry.hash).toBe(byDefault.leafHash);
    expect(verifyInclusion(byDefault.leafHash, 71, 75, byDefault.proof, items[1]!.rootHash)).toBe(true);

    const older = await get<InclusionProof>('/api/audit/entries/72/proof?size=73');
    expect(verifyInclusion(older.leafHash, 71, 73, older.proof, items[0]!.rootHash)).toBe(true);
    // A forged proof does not lead to the signed root.
    expect(verifyInclusion(older.leafHash, 71, 73, older.proof.map((p, i) => (i === 0 ? 'ee'.repeat(32) : p)), items[0]!.rootHash)).toBe(false);

    // An entry no checkpoint holds yet is proved against the whole log.
    expect(await get<InclusionProof>('/api/audit/entries/76/proof')).toMatchObject({ seq: 76, size: 76 });
  });

  it('when a reviewer asks GET /api/audit/consistency, then it proves the later checkpoint extends the earlier one', async () => {
    const { items } = await get<Checkpoints>('/api/audit/checkpoints');
    const proof = await get<ConsistencyProof>('/api/audit/consistency?from=73&to=75');
    expect(consistencyProofResponse.safeParse(proof).error).toBeUndefined();
    expect(proof).toMatchObject({ from: 73, to: 75, fromRoot: items[0]!.rootHash, toRoot: items[1]!.rootHash });
    expect(verifyConsistency(73, 75, items[0]!.rootHash, items[1]!.rootHash, proof.proof)).toBe(true);
    expect(verifyConsistency(73, 75, items[0]!.rootHash, items[1]!.rootHash, proof.proof.map((p, i) => (i === 0 ? 'ee'.repeat(32) : p)))).toBe(false);
    expect(await get<ConsistencyProof>('/api/audit/consistency?from=75')).toMatchObject({ from: 75, to: 76 });
  });

  it('when a proof endpoint is given a bad or out-of-range number, then 422 names the field, and nothing changes', async () => {
    const before = await s.auditCount();
    const cases: [string, string, RegExp][] = [
      ['/api/audit/entries/0/proof', 'path.seq', /positive integer/],
      ['/api/audit/entries/abc/proof', 'path.seq', /positive integer/],
      ['/api/audit/entries/77/proof', 'path.seq', /from 1 to 76/],
      ['/api/audit/entries/72/proof?size=71', 'query.size', /from 72 .* to 76/],
      ['/api/audit/entries/72/proof?size=77', 'query.size', /to 76/],
      ['/api/audit/entries/72/proof?size=-1', 'query.size', /positive integer/],
      ['/api/audit/entries/72/proof?sizes=73', 'query.sizes', /unknown field/],
      ['/api/audit/consistency', 'query.from', /./],
      ['/api/audit/consistency?from=75&to=73', 'query.from', /not after `to`/],
      ['/api/audit/consistency?from=1&to=77', 'query.to', /from 1 to 76/],
      ['/api/audit/consistency?from=1.5', 'query.from', /positive integer/],
      ['/api/audit/checkpoints?all=1', 'query.all', /unknown field/],
      ['/api/audit/checkpoints?limit=0', 'query.limit', /from 1 to 1000/],
      ['/api/audit/checkpoints?limit=1001', 'query.limit', /from 1 to 1000/],
      ['/api/audit/checkpoints?after=-1', 'query.after', /non-negative integer \(a log size\)/],
      ['/api/audit/checkpoints?after=73.5', 'query.after', /non-negative integer/],
    ];
    for (const [path, field, message] of cases) {
      const response = await s.request(path, { token: reviewer });
      expect(response.status, path).toBe(422);
      const problem = await problemOf(response);
      expect(problem['title']).toBe('请求内容不符合要求');
      const errors = problem['errors'] as { path: string; message: string }[];
      expect(errors.map((e) => e.path), path).toContain(field);
      expect(errors.find((e) => e.path === field)?.message, path).toMatch(message);
    }
    expect(await s.auditCount()).toBe(before);
  });

  it('when a unit asks any proof endpoint, then it gets 403; when the office asks, then it gets the proof', async () => {
    for (const path of ['/api/audit/checkpoints', '/api/audit/entries/72/proof', '/api/audit/consistency?from=73']) {
      const response = await s.request(path, { token: water });
      expect(response.status, path).toBe(403);
      expect((await problemOf(response))['title']).toBe('无权执行此操作');
      expect((await s.request(path, { token: office })).status, path).toBe(200);
    }
  });

  it('when a reviewer asks GET /api/audit/verify, then it checks the chain and every stored checkpoint with the server key', async () => {
    expect(await get('/api/audit/verify')).toEqual({ ok: true, entries: 76, checkpoints: 2, files: { checked: 0, broken: [] } });
  });

  it('given the API\'s proofs and signed checkpoints saved to files, when `duban audit prove` and `audit consistency` check them, then they accept them and refuse forged ones', async () => {
    const { items } = await get<Checkpoints>('/api/audit/checkpoints');
    const files = {
      pubkey: join(dir, 'server.pem'),
      at73: join(dir, 'checkpoint-73.txt'),
      at75: join(dir, 'checkpoint-75.txt'),
      all: join(dir, 'checkpoints.txt'),
      inclusion: join(dir, 'proof-72.json'),
      consistency: join(dir, 'consistency.json'),
    };
    writeFileSync(files.pubkey, publicKeyPem(key.publicKey));
    writeFileSync(files.at73, items[0]!.text);
    writeFileSync(files.at75, items[1]!.text);
    writeFileSync(files.all, items.map((c) => `${c.text}\n`).join(''));
    const inclusion = await get<InclusionProof>('/api/audit/entries/72/proof?size=73');
    const consistency = await get<ConsistencyProof>('/api/audit/consistency?from=73&to=75');
    const prove = (proof: unknown, checkpoint = files.at73) => {
      writeFileSync(files.inclusion, JSON.stringify(proof));
      return runCli('audit', 'prove', '--entry', files.inclusion, '--checkpoint', checkpoint, '--pubkey', files.pubkey);
    };
    const consistent = (proof: unknown, older = files.at73, newer = files.at75) => {
      writeFileSync(files.consistency, JSON.stringify(proof));
      return runCli('audit', 'consistency', '--proof', files.consistency, '--old', older, '--new', newer, '--pubkey', files.pubkey);
    };

    const valid = await prove(inclusion);
    expect(valid.code, valid.out + valid.err).toBe(0);
    expect(valid.out).toMatch(/^VALID: entry 72 \(karamay-2023-fangguanfu\.007 START at .*\) is in log duban\/test as signed at size 73/);
    // A file holding every checkpoint: the one of the proof's size is used.
    expect((await prove(inclusion, files.all)).code).toBe(0);

    const refusals: [unknown, string, RegExp][] = [
      [{ ...inclusion, proof: inclusion.proof.map((p, i) => (i === 0 ? 'ee'.repeat(32) : p)) }, files.at73, /the proof does not lead to the signed root/],
      [{ ...inclusion, entry: { ...inclusion.entry, payload: { note: '伪造' } } }, files.at73, /hash does not match its content/],
      [{ ...inclusion, seq: 71 }, files.at73, /the proof is for seq 71 but its entry has seq 72/],
      [inclusion, files.at75, /the proof is for a log of 73 entries, the checkpoint covers 75/],
      [{ ...inclusion, proof: 'not a list' }, files.at73, /proof: /],
    ];
    for (const [proof, checkpoint, reason] of refusals) {
      const result = await prove(proof, checkpoint);
      expect(result.code, JSON.stringify(proof).slice(0, 80)).toBe(1);
      expect(result.out + result.err).toMatch(/INVALID: /);
      expect(result.out + result.err).toMatch(reason);
    }
    // A checkpoint signed by another key.
    const other = generateKeyPairSync('ed25519');
    const forgedCheckpoint = join(dir, 'forged.txt');
    writeFileSync(forgedCheckpoint, signCheckpoint({ origin: 'duban/test', size: 73, rootHash: items[0]!.rootHash, time: items[0]!.time }, other.privateKey).text);
    expect((await prove(inclusion, forgedCheckpoint)).out).toMatch(/INVALID: .*signed by key/);

    const fine = await consistent(consistency);
    expect(fine.code, fine.out + fine.err).toBe(0);
    expect(fine.out).toMatch(/^VALID: log duban\/test signed at size 75 .* extends the one signed at size 73/);
    expect((await consistent(consistency, files.all, files.all)).code).toBe(0);
    const forged = await consistent({ ...consistency, proof: consistency.proof.map((p, i) => (i === 0 ? 'ee'.repeat(32) : p)) });
    expect(forged.code).toBe(1);
    expect(forged.out).toMatch(/^INVALID: the log signed at size 75 .* does not extend the one signed at size 73/);
    const swapped = await consistent(consistency, files.at75, files.at73);
    expect(swapped.code).toBe(1);
    expect(swapped.out).toMatch(/INVALID: the proof is from size 73 to 75, the checkpoints are of sizes 75 and 73/);
  });

  it('given a checkpoint in the database signed by another key, when a reviewer asks /api/audit/verify, then it says so', async () => {
    const other = generateKeyPairSync('ed25519');
    const forged = signCheckpoint({ origin: 'duban/test', size: 76, rootHash: 'ab'.repeat(32), time: '2023-07-01T00:00:00.000Z' }, other.privateKey);
    await s.engine.store.kysely.insertInto('checkpoint').values({ size: 76, root_hash: forged.rootHash, time: forged.time, text: forged.text }).execute();
    const report = await get<{ ok: boolean; reason: string; checkpoints: number }>('/api/audit/verify');
    expect(report.ok).toBe(false);
    expect(report.reason).toMatch(/checkpoint 3: signed by key ed25519:[0-9a-f]+, not by ed25519:/);
  });
});
