import { describe, expect, it } from 'vitest';

import { DATE_A, DATE_B, factsAt, runScenario } from './scenario.ts';

describe('the scripted scenario the report tests read', () => {
  it('writes the log its comments describe, and the plan reader cuts it at each report date', async () => {
    // Given the scenario driven through the real engine
    const engine = await runScenario();

    // When the log is read as of dates A and B
    const all = [];
    for await (const e of engine.entries()) all.push(`${e.seq} ${e.type} ${e.instanceId.slice(-1)}`);
    const atA = await factsAt(engine, DATE_A);
    const atB = await factsAt(engine, DATE_B);

    // Then every entry is where the scenario says, and each cut holds the entries up to its date
    expect(all).toEqual([
      '1 CREATE 1', '2 CREATE 2', '3 CREATE 3', '4 CREATE 4', '5 CREATE 5', '6 CREATE 6', '7 CREATE 7', '8 CREATE 8',
      '9 START 7', '10 START 1', '11 START 2', '12 START 3', '13 START 5', '14 PROGRESS 1', '15 WARN 7',
      '16 DEADLINE_PASSED 7', '17 START 4', '18 REPORT 2', '19 REPORT 7', '20 REJECT 2', '21 REPORT 1', '22 VERIFY 7',
      '23 VERIFY 1', '24 REPORT 2', '25 URGE 3', '26 WARN 3', '27 DEADLINE_PASSED 3', '28 VERIFY 2', '29 CLOSE 1',
      '30 CANCEL 6', '31 ESCALATE 3', '32 WARN 8', '33 RECORD_INTERVIEW 3', '34 DEADLINE_PASSED 8', '35 URGE 8',
      '36 PROGRESS 5', '37 WARN 4', '38 REQUEST_EXTENSION 4', '39 DECIDE_EXTENSION 4', '40 PROGRESS 4',
      '41 ESCALATE 8', '42 WARN 3', '43 DEADLINE_PASSED 3', '44 REFER 3', '45 REPORT 4', '46 VERIFY 4',
      '47 INSTRUCT 5',
    ]);
    // A falls between entries 38 and 39: no fact after 38 is in its cut; B's holds the last entry (46 VERIFY 4).
    expect(Math.max(...atA.events.map((e) => e.seq))).toBeLessThanOrEqual(38);
    expect(atA.events.map((e) => e.seq)).toContain(35);
    expect(atB.events.map((e) => e.seq)).toContain(46);
    expect(atA.tasks.map((t) => `${t.id.slice(-1)} ${t.snapshot.value}`).sort()).toEqual([
      '1 closed', '2 verified', '3 in_progress', '4 in_progress', '5 in_progress', '6 cancelled', '7 verified', '8 assigned',
    ]);
    expect(atB.tasks.map((t) => `${t.id.slice(-1)} ${t.snapshot.value}`).sort()).toEqual([
      '1 closed', '2 verified', '3 accountability', '4 verified', '5 in_progress', '6 cancelled', '7 verified', '8 interview',
    ]);
    await engine.close();
  });
});
