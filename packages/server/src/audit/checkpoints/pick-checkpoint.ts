import type { KeyObject } from 'node:crypto';
import type { Checkpoint } from '@duban/engine';
import { openCheckpoint } from '@duban/engine';

export type PickedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

/**
 * The checkpoint of `size` among the texts of a checkpoint file, its signature checked with
 * `publicKey`. A file of one checkpoint is used whatever its size (the caller compares sizes). Pure.
 */
export function pickCheckpoint(texts: readonly string[], size: number, publicKey: KeyObject, file: string): PickedCheckpoint {
  if (texts.length === 0) return { ok: false, reason: `${file} holds no checkpoint` };
  const opened = texts.map((text) => openCheckpoint(text, publicKey));
  if (opened.length === 1) return opened[0]!.ok ? opened[0]! : { ok: false, reason: `the checkpoint in ${file}: ${opened[0]!.reason}` };
  const sized = opened.filter((o) => o.ok && o.checkpoint.size === size);
  const roots = new Set(sized.map((o) => (o.ok ? o.checkpoint.rootHash : '')));
  if (roots.size > 1) return { ok: false, reason: `${file} holds two signed checkpoints of size ${size} with different roots: the log was forked` };
  if (sized.length > 0) return sized[0]!;
  const bad = opened.findIndex((o) => !o.ok);
  if (bad >= 0) return { ok: false, reason: `checkpoint ${bad + 1} in ${file}: ${(opened[bad] as { reason: string }).reason}` };
  const sizes = opened.map((o) => (o.ok ? o.checkpoint.size : 0));
  return { ok: false, reason: `${file} holds no checkpoint of size ${size} (it has ${sizes.join(', ')})` };
}
