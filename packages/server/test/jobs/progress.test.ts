import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@duban/engine';
import { exportAuditLog } from '../../src/audit/export/export-audit-log.ts';
import { progressOf } from '../../src/cli/cli-io.ts';
import { counted, Interrupted, Progress, untilInterrupted } from '../../src/jobs/progress.ts';

/** A stream that keeps what was written, a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, columns: 120, write: (text: string) => written.push(text) };
}

/** A clock moved by hand, in milliseconds. */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const entry = (seq: number): AuditEntry => ({
  seq,
  instanceId: 'task-1',
  version: seq,
  type: 'PROGRESS',
  actor: { role: 'office', unit: null },
  payload: {},
  from: 'in_progress',
  to: 'in_progress',
  at: '2023-05-10T02:00:00.000Z',
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

async function* entries(count: number): AsyncGenerator<AuditEntry> {
  for (let seq = 1; seq <= count; seq++) yield entry(seq);
}

/** The entries record no file: nothing to read. */
const noFiles = { bytes: async function* (): AsyncGenerator<Uint8Array> {} };

describe('Progress of long work', () => {
  it('given output that is not a terminal, when work goes on, then a plain line every few seconds says how far, how fast and how long is left', () => {
    const out = stream(false);
    const time = clock();
    const progress = new Progress('audit verify', 1000, out, { now: time.now, lineEveryMs: 5000 });
    time.advance(1000);
    progress.update(100);
    time.advance(1000);
    progress.update(200); // within 5 s of the last line: nothing
    time.advance(4000);
    progress.update(600);
    progress.finish();
    expect(out.written).toEqual([
      'audit verify: 100/1,000 entries (10%), 100 entries/s, 9 s left\n',
      'audit verify: 600/1,000 entries (60%), 100 entries/s, 4 s left\n',
      'audit verify: 600/1,000 entries (60%), 100 entries/s, 4 s left\n',
    ]);
  });

  it('given a terminal, when work goes on, then one bar is redrawn in place and ends on its own line', () => {
    const out = stream(true);
    const time = clock();
    const progress = new Progress('replay', 2000, out, { now: time.now });
    time.advance(2000);
    progress.update(1000);
    time.advance(2000);
    progress.update(2000);
    progress.finish();
    expect(out.written.every((text) => text.startsWith('\r\x1b[2K['))).toBe(true);
    expect(out.written[0]).toContain('] replay: 1,000/2,000 entries (50%), 500 entries/s, 2 s left');
    expect(out.written.at(-1)).toMatch(/\[#+\] replay: 2,000\/2,000 entries \(100%\), 500 entries\/s, 0 s left\n$/);
    expect(out.written.slice(0, -1).some((text) => text.endsWith('\n'))).toBe(false);
  });

  it('given a command run with no terminal (its output captured), when it shows progress, then the lines go through its own err, each without a trailing newline', () => {
    const said: string[] = [];
    const time = clock();
    const progress = new Progress('replay', 10, progressOf({ out: () => undefined, err: (text) => void said.push(text) }), { now: time.now });
    time.advance(6000);
    progress.update(5);
    progress.finish();
    expect(said).toEqual(['replay: 5/10 entries (50%), 1 entries/s, 6 s left', 'replay: 5/10 entries (50%), 1 entries/s, 6 s left']);
  });

  it('given Ctrl-C during counted work, when the work checks, then it stops with Interrupted and the handler is removed', async () => {
    const before = process.listenerCount('SIGINT');
    const seen: number[] = [];
    const run = untilInterrupted(async (stopped) => {
      for await (const item of counted(entries(10), new Progress('x', 10, stream(false)), stopped)) {
        seen.push(item.seq);
        if (item.seq === 3) process.emit('SIGINT');
      }
    });
    await expect(run).rejects.toBeInstanceOf(Interrupted);
    expect(seen).toEqual([1, 2, 3]);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('given an export stopped half-way by Ctrl-C, when it ends, then neither the export directory nor any partial one is left', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'duban-export-'));
    const out = join(parent, 'export');
    const run = untilInterrupted((stopped) =>
      exportAuditLog(
        out,
        (async function* () {
          for await (const item of counted(entries(5000), new Progress('audit export', 5000, stream(false)), stopped)) {
            if (item.seq === 2500) process.emit('SIGINT');
            yield item;
          }
        })(),
        { origin: 'test', checkpoints: [], publicKey: undefined, exportedAt: '2023-05-10T02:00:00Z', files: noFiles },
      ),
    );
    await expect(run).rejects.toBeInstanceOf(Interrupted);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);

    // When it runs to the end, then the directory holds every entry.
    expect(await exportAuditLog(out, entries(3), { origin: 'test', checkpoints: [], publicKey: undefined, exportedAt: '2023-05-10T02:00:00Z', files: noFiles })).toEqual({ entries: 3, files: 0, missingFiles: 0 });
    expect(readdirSync(parent)).toEqual(['export']);
    expect(readFileSync(join(out, 'entries.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
