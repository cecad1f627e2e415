import { z } from 'zod';

/** The name of a unit (单位) as written in a plan, trimmed. */
export const unitName = z.string().trim().min(1).max(100);

/** A list of distinct unit names. */
export function unitNames(min: number, max: number) {
  return z
    .array(unitName)
    .min(min)
    .max(max)
    .refine((names) => new Set(names).size === names.length, { message: '单位不得重复' });
}
