import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import mammoth from 'mammoth';
import { readPlanDocument } from '../packages/plan/src/index.ts';
import { openDuban } from '../packages/server/src/index.ts';

export interface PlanDocumentResult {
  tasks: number;
  bytes: number;
  /** readPlanDocument: type check, zip-bomb check, mammoth, parse (median ms). */
  previewMs: number;
  /** mammoth.extractRawText of the same file, the limit (median ms). */
  rawTextMs: number;
  ratio: number;
  /** PlanImporter.import of the same file into a fresh SQLite database: preview again, record, every task in one transaction (median ms). */
  importMs: number;
  importRatio: number;
  importRuns: number;
}

const UNITS = ['市发改委', '市财政局', '市市场监管局', '市司法局', '市住建局', '市税务局', '各区人民政府'];

/** A Word plan of `tasks` tasks, half as numbered paragraphs with labels, half as rows of a task table. */
async function generatedPlan(tasks: number): Promise<Uint8Array> {
  const half = Math.floor(tasks / 2);
  const children: Array<Paragraph | Table> = [new Paragraph('示例市2023年“放管服”改革工作要点'), new Paragraph('一、持续深化简政放权')];
  for (let n = 1; n <= half; n += 1) {
    children.push(
      new Paragraph(`${n}. 推进第${n}项改革事项，优化办事流程，压减办理时限，提升群众和企业办事便利度。`),
      new Paragraph(`牵头单位：${UNITS[n % UNITS.length]}`),
      new Paragraph(`责任单位：${UNITS[(n + 1) % UNITS.length]}、${UNITS[(n + 3) % UNITS.length]}`),
      new Paragraph(`完成时限：2023年${(n % 12) + 1}月底前`),
    );
  }
  children.push(new Paragraph('二、持续优化政务服务'));
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const rows = [new TableRow({ children: ['序号', '重点任务', '牵头单位', '责任单位', '完成时限'].map(cell) })];
  for (let n = half + 1; n <= tasks; n += 1) {
    rows.push(new TableRow({ children: [String(n), `推进第${n}项政务服务事项网上办理`, UNITS[n % UNITS.length]!, UNITS[(n + 2) % UNITS.length]!, `${(n % 12) + 1}月底前`].map(cell) }));
  }
  children.push(new Table({ rows }));
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

/** Previewing a generated 1,000-task .docx against mammoth's own text extraction of the same file. */
export async function planDocumentBench(tasks = 1000, runs = 7): Promise<PlanDocumentResult> {
  const bytes = await generatedPlan(tasks);
  const read = await readPlanDocument({ bytes, fileName: '示例市2023年工作要点.docx' });
  if (read.plan.tasks.length !== tasks) throw new Error(`plan bench: read ${read.plan.tasks.length} tasks of ${tasks}`);
  const buffer = Buffer.from(bytes);
  const rawTextMs = await medianMs(runs, () => mammoth.extractRawText({ buffer }));
  const previewMs = await medianMs(runs, () => readPlanDocument({ bytes, fileName: '示例市2023年工作要点.docx' }));
  const importRuns = 3;
  const importMs = await medianImportMs(bytes, importRuns);
  return { tasks, bytes: bytes.length, previewMs, rawTextMs, ratio: Math.round((previewMs / rawTextMs) * 100) / 100, importMs, importRatio: Math.round((importMs / rawTextMs) * 100) / 100, importRuns };
}

/** The import as `POST /api/plans` runs it, each run into a fresh database (opened and migrated outside the timing). */
async function medianImportMs(bytes: Uint8Array, runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'duban-bench-import-'));
    const duban = await openDuban(join(dir, 'bench.db'), { create: true });
    try {
      const at = new Date('2023-03-01T01:00:00Z');
      const start = performance.now();
      const imported = await duban.planImports.import({ bytes, fileName: '示例市2023年工作要点.docx' }, { planId: 'bench-2023' }, { role: 'admin', unit: null }, at);
      times.push(performance.now() - start);
      if (imported.created.length === 0) throw new Error('plan bench: the import created no task');
    } finally {
      await duban.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}
