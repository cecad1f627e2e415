import { openDuban } from '../../packages/server/src/index.ts';
import { karamayInstances } from './karamay.ts';

/** A task a load generator sends to, with its lead unit's token. */
export interface LoadTarget {
  readonly id: string;
  readonly token: string;
}

/**
 * Given a fresh database: `copies` of the Karamay plan imported (so requests spread over many tasks),
 * every task started by its lead unit, and a token per lead unit. Returns what to send to.
 */
export async function startedTasks(db: string, copies: number): Promise<LoadTarget[]> {
  const duban = await openDuban(db, { create: true });
  const instances = karamayInstances(copies);
  await duban.engine.create(instances, { role: 'admin', unit: null }, new Date('2023-05-10T01:00:00Z'));
  const tokens = new Map<string, string>();
  for (const unit of new Set(instances.map((i) => i.input.leadUnits[0]!))) {
    tokens.set(unit, (await duban.tokens.create({ role: 'unit', unit, label: 'bench' }, new Date('2023-05-10T01:00:00Z'))).token);
  }
  await Promise.all(instances.map((i) => duban.engine.send(i.id, { type: 'START' }, { role: 'unit', unit: i.input.leadUnits[0]! }, new Date('2023-05-11T01:00:00Z'))));
  await duban.close();
  return instances.map((i) => ({ id: i.id, token: tokens.get(i.input.leadUnits[0]!)! }));
}
