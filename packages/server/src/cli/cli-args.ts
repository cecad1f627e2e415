import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { AsOfError, parseInstant } from '../time/as-of.ts';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(args: readonly string[], options: O, positionals: { min: number; max: number; names: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (parsed.positionals.length < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (parsed.positionals.length > positionals.max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`);
  return parsed;
}

/** The value of a required string option. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** An integer option within bounds. */
export function integer(value: string | undefined, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** An ISO 8601 instant; a bare date is 00:00 in Asia/Shanghai (the plans' time zone). */
export function instant(value: string, flag: string): Date {
  return timeArgument(() => parseInstant(value, flag));
}

/** Runs a time check (time/as-of.ts), turning its refusal into a usage error naming the flag (`flags` maps a field to it). */
export function timeArgument<T>(check: () => T, flags: Readonly<Record<string, string>> = {}): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AsOfError) throw new UsageError(`${flags[error.field] ?? error.field} ${error.message}`);
    throw error;
  }
}
