import type { RunningServer } from '../app/run-server.ts';
import type { CliIo } from './cli-io.ts';

/**
 * Resolves with exit code 0 once SIGTERM or SIGINT has stopped the server gracefully: no new
 * connections, requests in flight finished, scheduler stopped, database closed. A second signal
 * while stopping exits at once with 1.
 */
export function serveUntilSignal(server: RunningServer, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.err(`duban: ${signal} again, exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      io.err(`duban: ${signal} received, stopping`);
      server.close().then(
        () => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve(0);
        },
        (error: unknown) => {
          io.err(`duban: error while stopping: ${(error as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
