import { UserError } from '../user-error.ts';

/**
 * `DUBAN_DB_POOL_SIZE`: the most connections one server (or command) keeps to PostgreSQL; the store's
 * default (10) when unset. Reads the environment, so only the server's edge calls it.
 */
export function poolSizeFromEnv(env: NodeJS.ProcessEnv = process.env): { poolSize?: number } {
  const value = env['DUBAN_DB_POOL_SIZE'];
  if (value === undefined || value === '') return {};
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
    throw new UserError(`DUBAN_DB_POOL_SIZE must be an integer from 1 to 1000, got ${JSON.stringify(value)}`);
  }
  return { poolSize: Number(value) };
}
