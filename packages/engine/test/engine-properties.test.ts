import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../src/index.ts';
import { EngineError } from '../src/index.ts';
import { admin, newEngine, onPostgres } from './support/engine-fixture.ts';

const actors: Actor[] = [
  { role: 'unit', unit: 'A' },
  { role: 'unit', unit: 'B' },
  { role: 'system', unit: null },
  { role: 'office', unit: null },
];
const events = [{ type: 'WORK' }, { type: 'NOTE', payload: { text: 'n' } }, { type: 'NOTE', payload: {} }, { type: 'DONE' }, { type: 'LATE' }, { type: 'NOPE' }];

const command = fc.record({
  instance: fc.integer({ min: 0, max: 3 }),
  actor: fc.constantFrom(...actors),
  event: fc.constantFrom(...events),
  minutes: fc.integer({ min: 0, max: 60 * 24 * 40 }),
});

describe('engine properties', () => {
  it('for random event sequences on random instances: replay equals the store, the chain verifies, versions never skip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('A', 'B'), { minLength: 1, maxLength: 4 }), fc.array(command, { maxLength: 40 }), async (owners, commands) => {
        const engine = await newEngine();
        const start = Date.parse('2023-05-10T00:00:00Z');
        await engine.create(owners.map((owner, i) => ({ id: `t${i}`, workflow: 'ticket', input: { owner, dueAt: start + 10 * 86_400_000 } })), admin, new Date(start));
        let at = start;
        for (const { instance, actor, event, minutes } of commands) {
          at += minutes * 60_000;
          const id = `t${instance % owners.length}`;
          const before = await engine.getInstance(id);
          await engine.fireDue(new Date(at));
          try {
            const { instance: after } = await engine.send(id, event, actor, new Date(at));
            expect(after.version).toBeGreaterThan(before!.version);
          } catch (error) {
            expect(error).toBeInstanceOf(EngineError);
          }
        }
        const replay = await engine.replay();
        expect(replay.differences).toEqual([]);
        expect((await engine.verify()).ok).toBe(true);
        for (let i = 0; i < owners.length; i++) {
          const versions = (await engine.history(`t${i}`)).map((e) => e.version);
          expect(versions).toEqual(versions.map((_, k) => k + 1));
        }
        await engine.close();
      }),
      // Each run opens a database: on PostgreSQL (a schema and its migrations each) fewer runs keep the suite quick.
      { numRuns: onPostgres ? 15 : 60 },
    );
  });
});
