import type { AuditEntry, Engine } from '@duban/engine';
import type { StoredFile } from './file-store.ts';

/** A file as an audit entry recorded it: what `audit verify` checks and what a task's page lists. */
export interface RecordedFile extends StoredFile {
  readonly name: string;
}

/** One file attached to one entry of a task. */
export interface TaskFile extends RecordedFile {
  readonly seq: number;
  readonly event: string;
  readonly at: string;
  readonly by: { readonly role: string; readonly unit: string | null };
}

/** The files an audit entry recorded (its payload's `attachments`), or none. Pure. */
export function recordedFiles(entry: Pick<AuditEntry, 'payload'>): RecordedFile[] {
  const attachments = (entry.payload as { attachments?: unknown }).attachments;
  if (!Array.isArray(attachments)) return [];
  return attachments.filter(isRecordedFile);
}

function isRecordedFile(value: unknown): value is RecordedFile {
  const file = value as Partial<RecordedFile> | null;
  return file !== null && typeof file === 'object' && typeof file.sha256 === 'string' && typeof file.name === 'string' && typeof file.size === 'number' && typeof file.type === 'string';
}

/** Every file attached to the task, in the order of its log. Does IO. */
export async function taskFiles(engine: Engine, taskId: string): Promise<TaskFile[]> {
  const entries = await engine.history(taskId);
  return entries.flatMap((entry) =>
    recordedFiles(entry).map((file) => ({ ...file, seq: entry.seq, event: entry.type, at: entry.at, by: { role: entry.actor.role, unit: entry.actor.unit } })),
  );
}
