import type { WriteStream } from 'node:tty';
import type { ProgressStream } from '../jobs/progress.ts';

/** Where a command writes: stdout for results, stderr for everything said to the person. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The person's terminal (stderr), where a progress bar may redraw in place; without it, progress is plain lines through `err`. */
  readonly terminal?: ProgressStream;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  terminal: process.stderr as WriteStream,
};

/** Where a command's progress goes: its terminal, else plain lines through `err`, like everything else it says. */
export function progressOf(io: CliIo): ProgressStream {
  return io.terminal ?? { write: (text: string) => io.err(text.replace(/\n$/, '')) };
}
