import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { elementById, textOf, WebClient } from '../web/support/web-client.ts';

/** Task 7: led by 市水务局, supported by 各区人民政府 (four district governments), due 2023-05-31. */
const TASK = taskId(7);

describe('each unit’s own part on the task page', () => {
  let server: TestServer;
  let district: WebClient;
  let lead: WebClient;

  beforeAll(async () => {
    server = await startTestServer();
    district = new WebClient(server.url);
    lead = new WebClient(server.url);
    await district.signIn(await server.token('unit', '白碱滩区人民政府'));
    await lead.signIn(await server.token('unit', '市水务局'));
  });
  afterAll(() => server.close());

  const forms = (body: string) => [...body.matchAll(/<details class="event-form" id="form-([A-Z_]+)"/g)].map((m) => m[1]);

  it('when a district opens the unsigned task, then it sees the parts table with its own part marked and the forms of its own part', async () => {
    const page = await district.get(`/tasks/${TASK}`);
    expect(page.status).toBe(200);
    const table = textOf(elementById(page.body, 'parts') ?? '');
    expect(table).toContain('部分 0/4 完成');
    expect(table).toContain('白碱滩区人民政府 本单位');
    expect(forms(page.body)).toEqual(['COMMENT', 'ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE']);
  });

  it('when the district posts its part’s progress and then its part done from the page, then both are written as the district’s and the lead sees 部分 1/4 完成', async () => {
    await district.get(`/tasks/${TASK}`);
    const progress = await district.post(`/tasks/${TASK}/events/PART_PROGRESS`, { _version: '1', summary: '本区招标文件已修订', percent: '60' });
    expect(progress.status).toBe(303);
    await district.get(`/tasks/${TASK}`);
    const done = await district.post(`/tasks/${TASK}/events/PART_DONE`, { _version: '2', summary: '本区已全部完成' });
    expect(done.status).toBe(303);
    const entries = (await server.engine.history(TASK)).slice(-2);
    expect(entries.map((e) => [e.type, e.actor.unit])).toEqual([
      ['PART_PROGRESS', '白碱滩区人民政府'],
      ['PART_DONE', '白碱滩区人民政府'],
    ]);
    const page = await lead.get(`/tasks/${TASK}`);
    const table = textOf(elementById(page.body, 'parts') ?? '');
    expect(table).toContain('部分 1/4 完成');
    expect(table).toContain('本区已全部完成');
    expect(forms(page.body)).not.toContain('PART_PROGRESS');
  });

  it('given the limit in force has passed, when the lead opens the task, then each part not done reads 逾期未完成 and the done part does not', async () => {
    server.clock.set('2023-06-02T10:00:00+08:00');
    // Sessions end with the days the clock moved: sign in again.
    await lead.signIn(await server.token('unit', '市水务局'));
    const page = await lead.get(`/tasks/${TASK}`);
    const rows = [...(elementById(page.body, 'parts') ?? '').matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!));
    expect(rows.filter((row) => row.includes('逾期未完成')).length).toBe(3);
    expect(rows.find((row) => row.includes('白碱滩区人民政府'))).not.toContain('逾期未完成');
  });

  it('when the office opens the dashboard, then it charts each unit’s parts by light, the district’s finished part green', async () => {
    // The timers due by now have fired: task 7 is overdue (red).
    await server.engine.fireDue(server.clock.now());
    const office = new WebClient(server.url);
    await office.signIn(await server.token('office'));
    const page = await office.get('/dashboard');
    expect(page.status).toBe(200);
    const chart = elementById(page.body, 'chart-part-lights-d') ?? '';
    // The district holds a part on every task naming 各区人民政府; the part it finished counts green, as its untouched green parts do.
    const district = /白碱滩区人民政府：红灯(\d+)项、黄灯(\d+)项、绿灯(\d+)项/.exec(chart);
    const other = /独山子区人民政府：红灯(\d+)项、黄灯(\d+)项、绿灯(\d+)项/.exec(chart);
    expect(district).not.toBeNull();
    expect(other).not.toBeNull();
    const total = (m: RegExpExecArray) => Number(m[1]) + Number(m[2]) + Number(m[3]);
    expect(total(district!)).toBe(total(other!));
    // Task 7 is past its limit: the district's part on it (done) is green while 独山子区's (not done) is not.
    expect(Number(district![3])).toBeGreaterThan(Number(other![3]));
  });

  it('given the parts chart, when the office follows each of two units’ bars, then the list it links to has as many tasks as the bar counts, each with that unit’s part of that light', async () => {
    const office = new WebClient(server.url);
    await office.signIn(await server.token('office'));
    const api = await server.token('office');
    const page = await office.get('/dashboard');
    const decode = (href: string) => href.replaceAll('&amp;', '&');
    // The chart's bars: each segment links to the list it counts; its label says how many.
    const segments = [...page.body.matchAll(/<a class="chart-link" href="([^"]*partUnit=[^"]*)" aria-label="([^"]+?)(红灯|黄灯|绿灯)(\d+)项，查看任务">/g)]
      .map((m) => ({ href: decode(m[1]!), unit: m[2]!, light: m[3]!, count: Number(m[4]) }))
      .filter((segment) => ['白碱滩区人民政府', '独山子区人民政府'].includes(segment.unit));
    expect(new Set(segments.map((segment) => segment.light)).size).toBeGreaterThan(1);
    for (const segment of segments) {
      const listed = await office.get(segment.href);
      expect(listed.status, segment.href).toBe(200);
      const rows = new Set([...listed.body.matchAll(/href="\/tasks\/([^"/?]+)"/g)].map((m) => m[1]!));
      expect(rows.size, `${segment.unit} ${segment.light}`).toBe(segment.count);
      // The API's list with the same query holds the same tasks, and each has the unit's part.
      const query = new URL(segment.href, server.url).searchParams;
      const response = await server.request(`/api/tasks?limit=1000&partUnit=${encodeURIComponent(query.get('partUnit')!)}&partLight=${query.get('partLight')}`, { token: api });
      expect(response.status).toBe(200);
      const items = ((await response.json()) as { items: { id: string; parts: { unit: string; state: string }[] }[] }).items;
      expect(new Set(items.map((item) => item.id))).toEqual(rows);
      for (const item of items) expect(item.parts.map((part) => part.unit)).toContain(segment.unit);
    }
    // 白碱滩区's finished part on task 7 is green; 独山子区's there is not.
    const green = segments.find((segment) => segment.unit === '白碱滩区人民政府' && segment.light === '绿灯')!;
    expect((await office.get(green.href)).body).toContain(`href="/tasks/${TASK}"`);
    const otherGreen = segments.find((segment) => segment.unit === '独山子区人民政府' && segment.light === '绿灯');
    if (otherGreen !== undefined) expect((await office.get(otherGreen.href)).body).not.toContain(`href="/tasks/${TASK}"`);
  });

  it('given partLight without partUnit, then the API answers 422 naming query.partLight, the CSV download 422 saying why, and the page says beside the field which unit it needs', async () => {
    const response = await server.request('/api/tasks?partLight=red', { token: await server.token('office') });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain('query.partLight');
    const office = new WebClient(server.url);
    await office.signIn(await server.token('office'));
    const page = await office.get('/tasks?partLight=red');
    expect(page.status).toBe(422);
    expect(textOf(page.body)).toContain('请同时指定承担部分的单位');
    // The download has no field to show it beside: it is refused whole, not served unfiltered.
    const csv = await office.get('/tasks.csv?partLight=red');
    expect(csv.status).toBe(422);
    expect(csv.body).toContain('请同时指定承担部分的单位');
  });
});
