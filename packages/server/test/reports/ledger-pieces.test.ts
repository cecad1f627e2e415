import ExcelJS from 'exceljs';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '@duban/engine';
import { CurrentPlan, ledgerCsv, ledgerCsvPieces, ledgerRowPieces, ledgerRows, ledgerXlsx, ledgerXlsxPieces } from '../../src/reports/index.ts';
import { sendPieces } from '../../src/http/send-pieces.ts';
import { DATE_A, DATE_B, runScenario, storedTasks, storedTasksInPieces } from './scenario.ts';

const AFTER_B = new Date(DATE_B.getTime() + 1);

async function collect<T>(pieces: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const piece of pieces) all.push(piece);
  return all;
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe('the ledger as of now, piece by piece', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await runScenario();
  });
  afterAll(() => engine.close());

  it('when the stored tasks are read in pieces, then they come a few at a time, in plan order, the same tasks as reading them all', async () => {
    const spy = vi.spyOn(engine, 'getInstances');
    try {
      const pieces = await collect(storedTasksInPieces(engine, AFTER_B, 3));
      expect(pieces.map((piece) => piece.length)).toEqual([3, 3, 2]);
      // First the read model's catch-up, its 8 stale tasks in one page; then the pieces.
      expect(spy.mock.calls.map(([ids]) => ids.length)).toEqual([8, 3, 3, 2]);
      expect(pieces.flat()).toEqual(await storedTasks(engine));
    } finally {
      spy.mockRestore();
    }
  });

  it('given an instant before the last entry, when the stored tasks are read in pieces, then they are all read at once', async () => {
    const pieces = await collect(storedTasksInPieces(engine, DATE_A, 3));
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toEqual(await storedTasks(engine));
  });

  it('when the ledger CSV is written in pieces of any size, then it holds the same bytes as the ledger made at once', async () => {
    const rows = ledgerRows(await storedTasks(engine), AFTER_B);
    const whole = ledgerCsv(rows);
    for (const cuts of [[rows], [rows.slice(0, 1), rows.slice(1)], rows.map((r) => [r])]) {
      expect((await collect(ledgerCsvPieces(from(cuts)))).join('')).toBe(whole);
    }
    // No rows: the header alone, as ledgerCsv([]) writes it.
    expect((await collect(ledgerCsvPieces(from([])))).join('')).toBe(ledgerCsv([]));
    const streamed = ledgerCsvPieces(ledgerRowPieces(storedTasksInPieces(engine, AFTER_B, 2), AFTER_B));
    expect((await collect(streamed)).join('')).toBe(whole);
  });
});

describe('the ledger workbook, piece by piece', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await runScenario();
  });
  afterAll(() => engine.close());

  const cells = async (file: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('台账')!;
    return sheet.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : row));
  };

  it('when its rows come in one piece or several, then the workbook holds the same cells', async () => {
    const options = { title: '台账', asOf: AFTER_B };
    const whole = await ledgerXlsx(ledgerRows(await storedTasks(engine), AFTER_B), options);
    const chunks = await collect(ledgerXlsxPieces(ledgerRowPieces(storedTasksInPieces(engine, AFTER_B, 3), AFTER_B), options));
    expect(chunks.length).toBeGreaterThan(0);
    const pieced = Buffer.concat(chunks);
    expect(await cells(pieced)).toEqual(await cells(whole));
    // Rows count from 1 in exceljs: the title, the header and the scenario's eight tasks.
    expect((await cells(pieced)).length).toBe(1 + 2 + 8);
  });

  it('when its reader stops after the first piece (a client that went away), then the workbook stops reading the rows', async () => {
    const [row] = ledgerRows(await storedTasks(engine), AFTER_B);
    let read = 0;
    let closed = false;
    const rows = (async function* () {
      try {
        for (; read < 2000; read++) {
          yield [row!];
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        closed = true;
      }
    })();
    for await (const _chunk of ledgerXlsxPieces(rows, { title: '台账', asOf: AFTER_B })) break;
    await vi.waitFor(() => expect(closed).toBe(true));
    expect(read).toBeLessThan(2000);
  });

  it('given first rows that cannot be read, when the workbook is written, then it fails, having written nothing', async () => {
    const failing = (async function* () {
      throw new Error('the store went away');
    })();
    const written: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of ledgerXlsxPieces(failing, { title: '台账', asOf: AFTER_B })) written.push(chunk);
      })(),
    ).rejects.toThrow('the store went away');
    expect(written).toEqual([]);
  });
});

describe('sendPieces', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = express();
    const failing = (after: number) =>
      (async function* () {
        for (let i = 0; i < after; i++) yield `piece ${i}\n`;
        throw new Error('the store went away');
      })();
    app.get('/whole', (_req, res) => sendPieces(res, from(['a,b\r\n', '1,2\r\n']), { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="x.csv"' }));
    app.get('/fails-first', (_req, res) => sendPieces(res, failing(0), { 'Content-Disposition': 'attachment; filename="x.csv"' }));
    app.get('/fails-later', (_req, res) => sendPieces(res, failing(2), { 'Content-Disposition': 'attachment; filename="x.csv"' }));
    app.use(((error, _req, res, next) => {
      if (res.headersSent) return next(error);
      res.status(503).json({ problem: (error as Error).message });
    }) as express.ErrorRequestHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('sends every piece, in order, with the headers', async () => {
    const response = await fetch(`${url}/whole`);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="x.csv"');
    expect(await response.text()).toBe('a,b\r\n1,2\r\n');
  });

  it('answers a failure before the first piece as any other, without the file headers', async () => {
    const response = await fetch(`${url}/fails-first`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(await response.json()).toEqual({ problem: 'the store went away' });
  });

  it('cuts the response off on a failure after the first piece, so it cannot pass for a whole file', async () => {
    const response = await fetch(`${url}/fails-later`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});
