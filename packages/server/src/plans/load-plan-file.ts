import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { checkPlanFileSize, DEFAULT_PLAN_MAX_BYTES, readPlanDocument } from '@duban/plan';
import type { Plan, PlanDocument, UnitRegistry } from '@duban/plan';
import { UserError } from '../user-error.ts';
import type { PlanSource } from './plan-importer.ts';

/** A plan read from a file, with the id its tasks are imported under. */
export interface LoadedPlan {
  readonly plan: Plan;
  /** The file's name without extension when it is ASCII (`city-2023-reform`), else `plan-` and a hash of the name. */
  readonly planId: string;
  /** What the file was (docx, xlsx, text, json) and the unit names the registry does not know. */
  readonly document: Pick<PlanDocument, 'format' | 'encoding' | 'unknownUnits'>;
  /** The file's name and the SHA-256 of its bytes, recorded with the plan. */
  readonly source: { readonly name: string; readonly sha256: string };
}

const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Reads a plan file of any format `readPlanDocument` takes (.docx, .xlsx, .md/.txt in UTF-8 or
 * GB18030, Plan JSON), its name in any script. Throws PlanInputError naming the file and the
 * reason when it cannot be used (too large, wrong type, no task…), UserError when it cannot be
 * opened. Unit names resolve through `options.units` (a database's registry) or, without one, the
 * repository's data/units.json. A task without a lead unit is a warning in the plan, never a refusal. Does IO.
 */
export async function loadPlanFile(path: string, options: { maxBytes?: number; units?: UnitRegistry } = {}): Promise<LoadedPlan> {
  const maxBytes = options.maxBytes ?? DEFAULT_PLAN_MAX_BYTES;
  const { bytes, fileName } = await readPlanSource(path, maxBytes);
  const document = await readPlanDocument({ bytes, fileName, maxBytes, ...(options.units === undefined ? {} : { units: options.units }) });
  return {
    plan: document.plan,
    planId: planIdOf(fileName),
    document: { format: document.format, encoding: document.encoding, unknownUnits: document.unknownUnits },
    source: { name: fileName, sha256: createHash('sha256').update(bytes).digest('hex') },
  };
}

/**
 * A plan file's bytes and name, for PlanImporter: refused (PlanInputError) past `maxBytes` before it
 * is read, UserError when it cannot be opened. Does IO.
 */
export async function readPlanSource(path: string, maxBytes: number = DEFAULT_PLAN_MAX_BYTES): Promise<PlanSource> {
  const fileName = basename(path);
  let bytes: Uint8Array;
  try {
    // Refuse an oversized file before reading it into memory.
    checkPlanFileSize((await stat(path)).size, fileName, maxBytes);
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`找不到计划文件 / no such plan file: ${path}`);
    if (code === 'EISDIR') throw new UserError(`计划文件是一个目录 / the plan file is a directory: ${path}`);
    if (code === 'EACCES') throw new UserError(`没有读取计划文件的权限 / permission denied: ${path}`);
    throw error;
  }
  return { bytes, fileName };
}

/** The plan id a file's name gives: the name without extension when ASCII, else `plan-` and 12 hex of its SHA-256. Pure. */
export function planIdOf(fileName: string): string {
  const stem = basename(fileName, extname(fileName));
  if (PLAN_ID.test(stem)) return stem;
  return `plan-${createHash('sha256').update(stem).digest('hex').slice(0, 12)}`;
}
