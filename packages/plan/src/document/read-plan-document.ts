import { decodePlanText } from '../decode-plan-file.ts';
import type { PlanTextEncoding } from '../decode-plan-file.ts';
import { repositoryUnits } from '../repository-units.ts';
import { parsePlanText } from '../parse-plan.ts';
import type { UnknownUnit } from '../parse-plan.ts';
import { PlanInputError, refuseFile } from '../plan-input-error.ts';
import { planSchema } from '../plan-schema.ts';
import type { Plan, PlanWarning } from '../plan-schema.ts';
import type { UnitRegistry } from '../unit-registry.ts';
import { DEFAULT_PLAN_MAX_BYTES, DEFAULT_PLAN_MAX_UNCOMPRESSED_BYTES, detectPlanFile } from './detect-plan-file.ts';
import type { PlanFileKind } from './detect-plan-file.ts';
import type { DocumentLines } from './document-lines.ts';
import { docxLines } from './docx-lines.ts';
import { xlsxLines } from './xlsx-lines.ts';

/** What `readPlanDocument` reads: the file's bytes and its name as the person gave it (any script). */
export interface PlanDocumentInput {
  bytes: Uint8Array;
  fileName: string;
  /** Resolves unit names; defaults to `repositoryUnits`. */
  units?: UnitRegistry;
  /** The largest file accepted, in bytes; default 20 MB. */
  maxBytes?: number;
  /** The most a .docx/.xlsx may inflate to; default 200 MB. */
  maxUncompressedBytes?: number;
}

/** A plan read from a file, with what it was and the unit names the registry does not know. */
export interface PlanDocument {
  plan: Plan;
  format: PlanFileKind;
  /** For text files: the encoding detected. */
  encoding: PlanTextEncoding | null;
  /** Unknown unit names with the lines that name them; each is also a warning on its first line. */
  unknownUnits: UnknownUnit[];
}

/**
 * The one entry for plan files: `.docx` (paragraphs and tables), `.xlsx` task tables, `.md`/`.txt`
 * in UTF-8 or GB18030/GBK, and Plan JSON (`.json`, checked against the schema). The type comes
 * from the bytes; an extension that says otherwise, an old .doc/.wps/.pdf, a macro-enabled file,
 * an empty, oversized or zip-bomb file, and a file with no task are refused with a PlanInputError
 * naming the file and the reason (Chinese / English); nothing half-read is returned. What cannot
 * be read inside the plan is a warning on its line, with `where` naming the paragraph, table row
 * or sheet row for a .docx or .xlsx.
 */
export async function readPlanDocument(input: PlanDocumentInput): Promise<PlanDocument> {
  const { bytes, fileName } = input;
  const units = input.units ?? repositoryUnits;
  const format = detectPlanFile(bytes, fileName, {
    maxBytes: input.maxBytes ?? DEFAULT_PLAN_MAX_BYTES,
    maxUncompressedBytes: input.maxUncompressedBytes ?? DEFAULT_PLAN_MAX_UNCOMPRESSED_BYTES,
  });
  let read: PlanDocument;
  if (format === 'json') {
    read = { plan: readPlanJson(bytes, fileName), format, encoding: 'utf-8', unknownUnits: [] };
  } else if (format === 'text') {
    const { text, encoding } = named(fileName, () => decodePlanText(bytes));
    read = { ...parseLines({ lines: text.split('\n'), where: [], warnings: [] }, fileName, units), format, encoding };
  } else {
    const lines = await named(fileName, () => (format === 'docx' ? docxLines(bytes) : xlsxLines(bytes, stem(fileName))));
    read = { ...parseLines(lines, fileName, units), format, encoding: null };
  }
  if (read.plan.tasks.length === 0) {
    throw refuseFile('no-tasks', fileName, `中${NO_TASKS[format][0]}`, NO_TASKS[format][1]);
  }
  return read;
}

const NO_TASKS: Record<PlanFileKind, [string, string]> = {
  text: ['未找到任何任务：应为编号条目（如“1.”或“（一）”）后跟牵头单位/责任单位/完成时限', 'no task found: expected numbered items ("1." or "（一）") followed by lead units, responsible units and a deadline'],
  docx: ['未找到任何任务：应为编号段落（如“1.”或“（一）”）后跟牵头单位/责任单位/完成时限，或带“任务/牵头单位”表头的表格', 'no task found: expected numbered paragraphs followed by lead units, responsible units and a deadline, or a table headed 任务/牵头单位'],
  xlsx: ['未找到任务表：没有一个工作表有写明“任务”和“牵头单位/责任单位/完成时限”的表头行', 'no task table found: no sheet has a header row naming 任务 and 牵头单位/责任单位/完成时限'],
  json: ['没有任务（tasks 为空）', 'the Plan JSON has no task'],
};

function parseLines(document: DocumentLines, fileName: string, units: UnitRegistry): Omit<PlanDocument, 'format' | 'encoding'> {
  const { plan, unknownUnits } = parsePlanText(document.lines.join('\n'), { units, source: fileName });
  const unknownWarnings: PlanWarning[] = unknownUnits.map((unit) => ({
    line: unit.lines[0] ?? 1,
    message: `单位“${unit.name}”不在单位名录中${unit.lines.length > 1 ? `（共${unit.lines.length}处）` : ''}`,
  }));
  const warnings = [...plan.warnings, ...document.warnings, ...unknownWarnings]
    .sort((a, b) => a.line - b.line)
    .map((warning) => {
      const where = document.where[warning.line - 1];
      return where === undefined ? warning : { ...warning, where };
    });
  return { plan: { ...plan, warnings }, unknownUnits };
}

function readPlanJson(bytes: Uint8Array, fileName: string): Plan {
  let json: unknown;
  try {
    json = JSON.parse(named(fileName, () => decodePlanText(bytes)).text);
  } catch (error) {
    if (error instanceof PlanInputError) throw error;
    throw refuseFile('plan-json', fileName, `不是有效的 JSON：${(error as Error).message}`, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    throw refuseFile('plan-json', fileName, `不符合计划 JSON 格式（${at}）`, `not Plan JSON at ${at}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** Runs a reader; its own refusals get the file's name, anything else reads as a damaged file. */
function named<T>(fileName: string, read: () => T): T {
  const rename = (error: unknown): never => {
    if (error instanceof PlanInputError) {
      if (error.file !== undefined) throw error;
      throw new PlanInputError(error.code, `“${fileName}”：${error.message}`, fileName);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw refuseFile('damaged', fileName, `无法读取（文件可能已损坏）：${reason}`, `cannot be read (damaged?): ${reason}`);
  };
  try {
    const result = read();
    return result instanceof Promise ? (result.catch(rename) as T) : result;
  } catch (error) {
    return rename(error);
  }
}

function stem(fileName: string): string {
  return fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
}
