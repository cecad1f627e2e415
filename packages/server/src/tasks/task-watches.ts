import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';

/** The most tasks one person may watch: a watch list is for the few a leader follows, not the plan. */
export const MAX_WATCHED = 500;

/**
 * A person's watch list (关注): the tasks each account follows, in the `task_watch` table. Watching
 * twice is watching once; the caller checks the task is visible first. Does IO.
 */
export class TaskWatches {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** Adds the task to the account's list; false when the list is full (MAX_WATCHED) and the task not on it. */
  async watch(accountId: number, taskId: string, at: Date): Promise<boolean> {
    if (await this.isWatched(accountId, taskId)) return true;
    const { n } = await this.db.selectFrom('task_watch').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_WATCHED) return false;
    await this.db
      .insertInto('task_watch')
      .values({ account_id: accountId, task_id: taskId, created_at: at.toISOString() })
      .onConflict((oc) => oc.columns(['account_id', 'task_id']).doNothing())
      .execute();
    return true;
  }

  /** Takes the task off the account's list (nothing when it was not on it). */
  async unwatch(accountId: number, taskId: string): Promise<void> {
    await this.db.deleteFrom('task_watch').where('account_id', '=', accountId).where('task_id', '=', taskId).execute();
  }

  async isWatched(accountId: number, taskId: string): Promise<boolean> {
    const row = await this.db.selectFrom('task_watch').select('task_id').where('account_id', '=', accountId).where('task_id', '=', taskId).executeTakeFirst();
    return row !== undefined;
  }

  /** The ids of the tasks the account watches, the most recently watched first. */
  async taskIds(accountId: number): Promise<string[]> {
    const rows = await this.db.selectFrom('task_watch').select('task_id').where('account_id', '=', accountId).orderBy('created_at', 'desc').orderBy('task_id').execute();
    return rows.map((row) => row.task_id);
  }
}
