import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Engine, isPostgresUrl, openStore } from '@duban/engine';
import type { CommitHook } from '@duban/engine';
import { reformTaskV1 } from '@duban/reform-task';
import { notificationHook } from '../notifications/notification-hook.ts';
import { poolSizeFromEnv } from '../db/pool-size.ts';
import { TokenStore } from '../auth/token-store.ts';
import { UserError } from '../user-error.ts';

/** An open duban database: the engine over it and its tokens. */
export interface Duban {
  readonly engine: Engine;
  readonly tokens: TokenStore;
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the database at `location`, a SQLite file or a `postgres://` URL, with the
 * reform-task workflow. With `create: false` a SQLite file that does not exist is refused rather
 * than created empty. Does IO.
 */
export async function openDuban(location: string, options: { create: boolean; onCommit?: CommitHook }): Promise<Duban> {
  if (!isPostgresUrl(location) && location !== ':memory:') {
    const file = resolve(location);
    if (!existsSync(file)) {
      if (!options.create) throw new UserError(`no database at ${file} (start one with: duban serve --db ${location})`);
      mkdirSync(dirname(file), { recursive: true });
    }
  }
  let store;
  try {
    store = await openStore(location, poolSizeFromEnv());
  } catch (error) {
    throw new UserError(`cannot open the database ${redactUrl(location)}: ${describe(error)}`);
  }
  // Notifications are written in the transaction of the transition that causes them.
  const engine = new Engine(store, [reformTaskV1], { onCommit: notificationHook(options.onCommit) });
  try {
    const tokens = await TokenStore.open(store);
    return { engine, tokens, close: () => engine.close() };
  } catch (error) {
    await engine.close();
    throw new UserError(`cannot prepare the database ${redactUrl(location)}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${message}: ${cause.message}` : message;
}

/** A database URL without its password, for messages. */
export function redactUrl(location: string): string {
  return location.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
