import type { Level, Logger } from 'pino';
import { createLogger } from '../app/create-logger.ts';
import { UsageError } from './usage-error.ts';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** The server's logger at LOG_LEVEL (or `fallback`), to stdout. */
export function envLogger(fallback: Level | 'silent' = 'info'): Logger {
  const level = process.env['LOG_LEVEL'] ?? fallback;
  if (!LEVELS.includes(level)) throw new UsageError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  return createLogger({ level: level as Level | 'silent' });
}
