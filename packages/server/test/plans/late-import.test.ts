import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPaths } from '../../src/app/repo-paths.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer } from '../support/test-server.ts';

const DAY = 86_400_000;

/** The Karamay 2023 plan (Plan JSON: 71 tasks, every deadline in 2023 or ongoing) as a multipart upload. */
const karamay = (fields: Record<string, string>) => {
  const body = new FormData();
  body.append('file', new Blob([readFileSync(repoPaths.samplePlan)]), 'karamay-2023-fangguanfu.json');
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
};

interface Scores {
  units: { unit: string; score: number; lost: number; byRule: { ruleId: string; count: number }[] }[];
}

describe('a 2023 plan imported on a 2026 clock', () => {
  let s: TestServer | undefined;
  afterEach(() => s?.close());

  async function importedLate(fields: Record<string, string>) {
    s = await startTestServer({ startAt: '2026-12-01T09:00:00+08:00', seed: async () => {} });
    const office = await s.token('office');
    const preview = await s.request('/api/plans/preview', { method: 'POST', token: office, body: karamay({}) });
    const pastDeadlines = ((await preview.json()) as { pastDeadlines: number }).pastDeadlines;
    const imported = await s.request('/api/plans', { method: 'POST', token: office, body: karamay({ planId: 'karamay-2023', ...fields }) });
    expect(imported.status, await imported.clone().text()).toBe(201);
    await s.engine.fireDue(s.clock.now());
    const states = async () => ((await (await s!.request('/api/tasks?plan=karamay-2023&limit=1000', { token: office })).json()) as { items: { state: string; overdue: boolean }[] }).items;
    const scores = async () => (await (await s!.request('/api/reports/units', { token: office })).json()) as Scores;
    return { s, office, pastDeadlines, states, scores };
  }

  it('given the default, when it is imported and the timers run, then the preview counted the passed deadlines, those tasks are overdue as at the import, none is escalated to 约谈, and no unit loses a point', async () => {
    const { pastDeadlines, states, scores } = await importedLate({});
    const tasks = await states();
    expect(pastDeadlines).toBeGreaterThan(40);
    expect(tasks.filter((task) => task.overdue)).toHaveLength(pastDeadlines);
    expect(tasks.filter((task) => task.state === 'interview')).toEqual([]);
    const assessment = await scores();
    expect(assessment.units.length).toBeGreaterThan(10);
    expect(assessment.units.filter((unit) => unit.lost !== 0)).toEqual([]);
  });

  it('given the default, when 31 days pass after the import unreported, then the overdue tasks escalate and each costs its lead unit the interview, not the days before the import', async () => {
    const { s, pastDeadlines, states, scores } = await importedLate({});
    s.clock.advance(31 * DAY);
    await s.engine.fireDue(s.clock.now());
    expect((await states()).filter((task) => task.state === 'interview')).toHaveLength(pastDeadlines);
    const rules = new Set((await scores()).units.flatMap((unit) => unit.byRule.map((rule) => rule.ruleId)));
    expect(rules.has('interview')).toBe(true);
    expect([...rules].filter((rule) => rule.startsWith('overdue'))).toEqual([]);
  });

  it('given lateFromImport=false (deadlines kept as written), when imported, then the same tasks go to 约谈 at once and units lose points (so the default is what spares them)', async () => {
    const { pastDeadlines, states, scores } = await importedLate({ lateFromImport: 'false' });
    expect((await states()).filter((task) => task.state === 'interview')).toHaveLength(pastDeadlines);
    expect((await scores()).units.some((unit) => unit.lost < 0)).toBe(true);
  });
});
