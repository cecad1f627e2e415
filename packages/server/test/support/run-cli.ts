import { main } from '../../src/cli.ts';

/**
 * Runs `duban …` in this process with its output captured. Progress lines go to a terminal of their
 * own and are dropped: their rates differ from run to run, and `err` holds what the command says.
 */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const terminal = { write: () => true };
  const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t), terminal });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
