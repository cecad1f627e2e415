import { describe, expect, it } from 'vitest';
import { admin, newEngine, ownerA, t } from './support/engine-fixture.ts';

describe('long reads', () => {
  it('let the event loop turn between pages, so a server answers requests meanwhile', async () => {
    // Given a log longer than two pages of the engine's reads
    const engine = await newEngine();
    await engine.create([{ id: 't1', workflow: 'ticket', input: { owner: 'A', dueAt: null } }], admin, t('2023-05-10T00:00:00Z'));
    await engine.send('t1', { type: 'WORK' }, ownerA, t('2023-05-10T00:00:01Z'));
    await Promise.all(Array.from({ length: 4_500 }, (_, i) => engine.send('t1', { type: 'NOTE', payload: { text: `第${i}次` } }, ownerA, t('2023-05-10T00:00:02Z'))));

    // When the whole log is verified while a timer is due
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 0);
    const report = await engine.verify();
    clearInterval(timer);

    // Then the timer ran during the verification, not only after it
    expect(report.entries).toBe(4_502);
    expect(turns).toBeGreaterThan(0);
    await engine.close();
  });
});
