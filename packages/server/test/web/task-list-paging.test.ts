import { repositoryUnits } from '@duban/plan';
import { afterEach, describe, expect, it } from 'vitest';
import { importPlan } from '../../src/plans/import-plan.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { repoPaths } from '../../src/app/repo-paths.ts';
import { pageOf, taskListHref, TASKS_PER_PAGE } from '../../src/web/view/task-table.ts';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from './support/web-client.ts';

describe('pages of a list', () => {
  it('cuts a list into pages of TASKS_PER_PAGE and refuses a page that does not exist', () => {
    const items = Array.from({ length: 2 * TASKS_PER_PAGE + 5 }, (_, i) => i);
    expect(pageOf(items, 1)?.items).toEqual(items.slice(0, TASKS_PER_PAGE));
    expect(pageOf(items, 3)).toEqual({ items: items.slice(2 * TASKS_PER_PAGE), page: { number: 3, pages: 3, total: items.length } });
    for (const number of [0, 4, 1.5, Number.NaN]) expect(pageOf(items, number), String(number)).toBeUndefined();
    expect(pageOf([], 1)).toEqual({ items: [], page: { number: 1, pages: 1, total: 0 } });
  });

  it('links to the list with the same filters', () => {
    expect(taskListHref({})).toBe('/tasks');
    expect(taskListHref({ state: 'in_progress', unit: '市水务局', light: undefined }, 2)).toBe(`/tasks?state=in_progress&unit=${encodeURIComponent('市水务局')}&page=2`);
  });
});

describe('the task list page of a plan longer than a page', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('given a plan longer than a page, when the office opens the task list, then it shows one page at a time with links to the next and previous pages, and refuses a page that does not exist', async () => {
    // Given the Karamay plan imported twice (142 tasks)
    server = await startTestServer();
    const { plan } = await loadPlanFile(repoPaths.samplePlan);
    await importPlan(server.engine, plan, 'karamay-copy', server.clock.now(), { units: repositoryUnits });
    const office = new WebClient(server.url);
    await office.signIn(await server.token('office'));

    // Two plans: the list across both (by default it shows the newest one).
    const first = await office.get('/tasks?plan=all');
    expect(first.status).toBe(200);
    expect(textOf(first.body)).toContain('任务（共 142 项，第 1/2 页）');
    expect(first.body.match(/<tr>/g)?.length).toBe(1 + TASKS_PER_PAGE);
    expect(first.body).toContain('href="/tasks?plan=all&amp;page=2" rel="next"');

    const second = await office.get('/tasks?plan=all&page=2');
    expect(textOf(second.body)).toContain('任务（共 142 项，第 2/2 页）');
    expect(second.body.match(/<tr>/g)?.length).toBe(1 + 142 - TASKS_PER_PAGE);
    expect(second.body).toContain('href="/tasks?plan=all&amp;page=1" rel="prev"');

    expect((await office.get('/tasks?plan=all&page=3')).status).toBe(404);
    expect((await office.get('/tasks?page=0')).status).toBe(422);
    expect((await office.get('/tasks?page=two')).status).toBe(422);
  });
});
