import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';

/**
 * The server's JSON logger. Authorization headers and anything called token are redacted
 * should they ever be passed in; the request log never passes them.
 */
export function createLogger(options: { level?: Level | 'silent'; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'duban' },
      redact: { paths: ['authorization', 'token', '*.authorization', '*.token', 'headers.authorization', 'req.headers.authorization'], censor: '[redacted]' },
    },
    options.destination ?? pino.destination(1),
  );
}
