import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditSigner } from '../../../src/audit/keys/audit-signer.ts';
import { openAuditSigner } from '../../../src/audit/keys/audit-signer.ts';
import { recordCheckpoint } from '../../../src/audit/checkpoints/record-checkpoint.ts';
import { importPlan } from '../../../src/plans/import-plan.ts';
import { loadPlanFile } from '../../../src/plans/load-plan-file.ts';
import { openDuban } from '../../../src/app/open-duban.ts';
import { repoPaths } from '../../../src/app/repo-paths.ts';

export const PLAN_ID = 'karamay-2023-fangguanfu';
export const taskId = (n: number) => `${PLAN_ID}.${String(n).padStart(3, '0')}`;
const water = { role: 'unit', unit: '市水务局' } as const;

/** Every file of a served database: the SQLite file, its key directory and its checkpoint file. */
export interface DatabaseFiles {
  readonly dir: string;
  readonly db: string;
}

/**
 * Given a SQLite database as a server leaves it: the Karamay plan imported (entries 1..71), task 7
 * started and progressed (72..81), then progressed again (82..90); a signed checkpoint after 71, 81
 * and 90, each in the database and in `<db>.checkpoints`, signed with the key in `<db>.keys/`.
 * Returns the final database and a copy taken at size 81 (an older backup), each in its own directory.
 */
export async function servedDatabase(): Promise<{ latest: DatabaseFiles; backupAt81: DatabaseFiles }> {
  const root = mkdtempSync(join(tmpdir(), 'duban-audit-'));
  const latest = { dir: join(root, 'latest'), db: join(root, 'latest', 'duban.db') };
  const duban = await openDuban(latest.db, { create: true });
  let signer: AuditSigner | undefined;
  try {
    const { engine } = duban;
    signer = await openAuditSigner(engine, latest.db, { create: true });
    const { plan, planId } = await loadPlanFile(repoPaths.samplePlan);
    await importPlan(engine, plan, planId, new Date('2023-05-10T09:00:00+08:00'), { units: duban.units });
    await recordCheckpoint(engine, signer, new Date('2023-05-10T10:00:00+08:00'));
    let day = 11;
    const at = () => new Date(`2023-05-${String(day++).padStart(2, '0')}T10:00:00+08:00`);
    await engine.send(taskId(7), { type: 'START' }, water, at());
    for (let i = 1; i <= 9; i++) await engine.send(taskId(7), { type: 'PROGRESS', payload: { summary: `第${i}次进展`, percent: i * 5 } }, water, at());
    await recordCheckpoint(engine, signer, at());
  } finally {
    await duban.close();
  }
  const backupAt81 = copyDatabase(latest, join(root, 'backup'));
  const again = await openDuban(latest.db, { create: false });
  try {
    let day = 1;
    const at = () => new Date(`2023-06-${String(day++).padStart(2, '0')}T10:00:00+08:00`);
    for (let i = 10; i <= 18; i++) await again.engine.send(taskId(7), { type: 'PROGRESS', payload: { summary: `第${i}次进展`, percent: i * 5 } }, water, at());
    await recordCheckpoint(again.engine, signer!, at());
  } finally {
    await again.close();
  }
  return { latest, backupAt81 };
}

/** A copy of a closed database with its key directory and checkpoint file, under `dir`. */
export function copyDatabase(from: DatabaseFiles, dir: string): DatabaseFiles {
  const db = join(dir, 'duban.db');
  for (const suffix of ['', '.keys', '.checkpoints']) {
    if (existsSync(`${from.db}${suffix}`)) cpSync(`${from.db}${suffix}`, `${db}${suffix}`, { recursive: true });
  }
  return { dir, db };
}
