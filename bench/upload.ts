import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../packages/engine/src/index.ts';
import { startServer, stopProcess } from './support/processes.ts';
import { startedTasks } from './support/started-tasks.ts';

export interface UploadResult {
  megabytes: number;
  /** One upload at a time, until its 201: the median of `rounds`. */
  uploadMs: number;
  uploadTimesMs: number[];
  /** The same bytes written to a file and fsynced: the median of `rounds`. */
  fsyncMs: number;
  fsyncTimesMs: number[];
  ratio: number;
  /** The server's CPU time (user + system) per upload in the timed rounds: its cost whatever the load. */
  serverCpuMsPerUpload: number;
  /** The server's resident set after start and one 1 MB upload, before any 20 MB one. */
  idleRssMb: number;
  /** After the timed rounds, 1 s after the last. */
  afterRoundsRssMb: number;
  /** The server's highest resident set while `concurrent` uploads ran at once. */
  peakRssMb: number;
  concurrent: number;
  /** Of the concurrent uploads, those answered 201 (the rest ran past the server's 30 s request timeout). */
  concurrentAnswered: number;
  concurrentMs: number;
  /** The machine's 1-minute load average before and after the run (it is shared). */
  load: [number, number];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** The CPU time (user + system) a process has used so far, in ms: what an upload costs whatever the machine's load. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const rssMb = (pid: number) => Math.round(Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024);

/** A PDF-looking file of `bytes` bytes, different each time (random bytes do not compress, and the store keeps equal bytes once). */
function evidence(bytes: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes - 9)]);
}

function freshSqlite(): string {
  const db = join(tmpdir(), 'duban-bench-upload.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  for (const beside of ['.keys', '.checkpoints']) rmSync(db + beside, { recursive: true, force: true });
  return db;
}

/** A schema of its own on the PostgreSQL server at `baseUrl`, as the URL a server is given. */
async function freshSchema(baseUrl: string): Promise<string> {
  const schema = `bench_upload_${Date.now().toString(36)}`;
  const admin = await openStore(baseUrl);
  await sql.raw(`CREATE SCHEMA ${schema}`).execute(admin.kysely);
  await admin.close();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/**
 * Sends `bytes` as one file of a multipart form, as a browser does: the body written straight from
 * memory, its length known. (undici's fetch of a FormData pushes the Blob through web streams in small
 * pieces; with it the server sat idle, waiting for bytes, for half of a run.)
 */
function post(url: string, token: string, bytes: Buffer): Promise<void> {
  const boundary = `----duban-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="佐证材料.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + bytes.length + tail.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`upload answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.write(head);
    req.write(bytes);
    req.end(tail);
  });
}

/**
 * A 20 MB evidence file uploaded (POST /api/files, multipart) until the server answers 201 — stored
 * in the database and acknowledged — against writing the same bytes to a file and fsyncing it, the
 * least any durable store must do; then the server's RSS while 10 such uploads run at once, against
 * its RSS idle. One server (`duban serve`, compiled), on a SQLite file, or on PostgreSQL when given
 * its URL, in the same run.
 */
export async function uploadBench(postgresUrl?: string, megabytes = 20, rounds = 5, concurrent = 10): Promise<UploadResult> {
  const size = megabytes * 1024 * 1024;
  const db = postgresUrl === undefined ? freshSqlite() : await freshSchema(postgresUrl);
  const plain = join(tmpdir(), 'duban-bench-upload.bin');
  const [target] = await startedTasks(db, 1);
  // A database on a server keeps no keys beside it: they go in a directory of their own.
  const keyDir = postgresUrl === undefined ? [] : ['--key-dir', mkdtempSync(join(tmpdir(), 'duban-bench-keys-'))];
  const server = await startServer(['--db', db, '--rate-limit', '0', '--clock', '2023-05-13T09:00:00+08:00', ...keyDir], { LOG_LEVEL: 'warn' });
  const upload = (bytes: Buffer) => post(`${server.url}/api/files`, target!.token, bytes);
  try {
    const loadBefore = loadavg()[0]!;
    await upload(evidence(1024 * 1024));
    const pid = server.child.pid!;
    // Idle: up and warmed by one small upload, before any 20 MB one (what they leave behind counts against them).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRssMb = rssMb(pid);
    const uploadTimes: number[] = [];
    const fsyncTimes: number[] = [];
    const cpuBefore = cpuMs(pid);
    for (let round = 0; round < rounds; round++) {
      const bytes = evidence(size);
      let start = performance.now();
      await upload(bytes);
      uploadTimes.push(performance.now() - start);
      rmSync(plain, { force: true });
      start = performance.now();
      const handle = await open(plain, 'w');
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
      fsyncTimes.push(performance.now() - start);
    }
    const serverCpuMsPerUpload = Math.round((cpuMs(pid) - cpuBefore) / rounds);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const afterRoundsRssMb = rssMb(pid);
    let peakRssMb = afterRoundsRssMb;
    const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(pid))), 10);
    const files = Array.from({ length: concurrent }, () => evidence(size));
    const start = performance.now();
    // The server ends a request still unanswered after 30 s (`requestTimeout`): count the uploads answered 201.
    const settled = await Promise.allSettled(files.map(upload));
    const concurrentAnswered = settled.filter((outcome) => outcome.status === 'fulfilled').length;
    const concurrentMs = Math.round(performance.now() - start);
    clearInterval(sampler);
    peakRssMb = Math.max(peakRssMb, rssMb(pid));
    const uploadMs = Math.round(median(uploadTimes));
    const fsyncMs = Math.round(median(fsyncTimes));
    const load = [loadBefore, loadavg()[0]!].map((l) => Math.round(l * 10) / 10) as [number, number];
    return { megabytes, uploadMs, uploadTimesMs: uploadTimes.map(Math.round), fsyncMs, fsyncTimesMs: fsyncTimes.map(Math.round), ratio: Math.round((uploadMs / Math.max(fsyncMs, 1)) * 100) / 100, serverCpuMsPerUpload, idleRssMb, afterRoundsRssMb, peakRssMb, concurrent, concurrentAnswered, concurrentMs, load };
  } finally {
    await stopProcess(server.child);
    rmSync(plain, { force: true });
  }
}
