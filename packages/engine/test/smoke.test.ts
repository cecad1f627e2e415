import { describe, expect, it } from 'vitest';
import { Engine, openStore } from '../src/index.ts';
import { ticketV1 } from './support/ticket-workflow.ts';

describe('smoke', () => {
  it('runs', async () => {
    const engine = new Engine(await openStore(':memory:'), [ticketV1]);
    const admin = { role: 'admin', unit: null };
    const owner = { role: 'unit', unit: 'A' };
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: 1000 } }], admin, new Date(0));
    const r = await engine.send('t1', { type: 'WORK' }, owner, new Date(10));
    expect(r.instance.snapshot.value).toBe('working');
    const f = await engine.fireDue(new Date(2000));
    expect(f.fired).toHaveLength(1);
    expect((await engine.verify()).ok).toBe(true);
    expect((await engine.replay()).differences).toEqual([]);
    await engine.close();
  });
});
