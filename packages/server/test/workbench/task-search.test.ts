import type { ReformTaskContext } from '@duban/reform-task';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';

interface Item {
  id: string;
  number: number;
  state: string;
  dueDate: string | null;
  overdue: boolean;
  leadUnits: string[];
  responsibleUnits: string[];
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe('GET /api/tasks with keywords, order and deadline filters', () => {
  let s: TestServer;
  let office: string;
  let plan: { id: string; task: ReformTaskContext }[];
  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
    plan = (await s.engine.listInstances({ limit: 1000 })).map((record) => ({ id: record.id, task: record.snapshot.context as ReformTaskContext }));
  });
  afterAll(() => s.close());

  /** The tasks whose plan text holds `word`, in plan order: what a search must find, worked out without the index. */
  const holding = (word: string) =>
    plan
      .filter(({ task }) => [task.text, task.measure, task.part, ...task.leadUnits, ...task.responsibleUnits].some((field) => field.toLowerCase().includes(word.toLowerCase())))
      .sort((a, b) => a.task.number - b.task.number)
      .map(({ id }) => id);

  const list = async (query: string, token = office): Promise<Page> => {
    const response = await s.request(`/api/tasks?${query}`, { token });
    expect(response.status, query).toBe(200);
    return (await response.json()) as Page;
  };
  const ids = async (query: string, token = office) => (await list(query, token)).items.map((item) => item.id);

  it('given a database migrated by the composition root, then search runs through its trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL)', async () => {
    expect(await s.duban.search.describe()).toMatchObject({ indexed: true });
  });

  it('given the Karamay plan, when the office searches for a Chinese word of three characters, then it gets exactly the tasks whose text holds it, in plan order', async () => {
    const expected = holding('不动产');
    expect(expected.length).toBeGreaterThan(1);
    expect(await ids(`q=${encodeURIComponent('不动产')}`)).toEqual(expected);
  });

  it('when the search is one or two characters (too short for a trigram), then it still finds every task holding them', async () => {
    for (const word of ['医保', '局', '营商']) {
      const expected = holding(word);
      expect(expected.length, word).toBeGreaterThan(0);
      expect(await ids(`q=${encodeURIComponent(word)}&limit=1000`), word).toEqual(expected);
    }
  });

  it('when the search holds FTS syntax or LIKE wildcards, then they are plain characters: no error, no task matched by accident', async () => {
    for (const text of ['"', '*', 'NEAR(不动产', '不动产*', '"不动产"', '%', '_', '\\', 'a%b']) {
      expect(await ids(`q=${encodeURIComponent(text)}&limit=1000`), text).toEqual(holding(text));
    }
  });

  it('when the search is 10,000 characters, then 422 names query.q; an empty one too; 10,000 Chinese characters overflow the request line first (431)', async () => {
    const chinese = await s.request(`/api/tasks?q=${encodeURIComponent('字'.repeat(10_000))}`, { token: office });
    expect(chinese.status).toBe(431);
    for (const q of ['x'.repeat(10_000), '字'.repeat(101), '   ']) {
      const response = await s.request(`/api/tasks?q=${encodeURIComponent(q)}`, { token: office });
      expect(response.status).toBe(422);
      const body = await problemOf(response);
      expect(JSON.stringify(body['errors'])).toContain('query.q');
    }
  });

  it('given a unit, when it searches a word of other units’ tasks, then it finds only its own tasks', async () => {
    const unit = '市住建局';
    const token = await s.token('unit', unit);
    const found = await ids(`q=${encodeURIComponent('项目')}&limit=1000`, token);
    const everyone = holding('项目');
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(everyone.length);
    for (const id of found) {
      const { task } = plan.find((entry) => entry.id === id)!;
      expect([...task.leadUnits, ...task.responsibleUnits, ...Object.values(task.collectives).flat()]).toContain(unit);
    }
  });

  it('when a unit reports progress, then a search for its words finds the task at once (the index is written in the transition)', async () => {
    const id = taskId(5);
    const lead = await s.token('unit', '市住建局');
    expect(await ids(`q=${encodeURIComponent('雪豹巡护台账')}`)).toEqual([]);
    expect((await s.send(lead, id, { type: 'START' })).status).toBe(200);
    expect((await s.send(lead, id, { type: 'PROGRESS', summary: '已完成雪豹巡护台账的整理', percent: 40 })).status).toBe(200);
    expect(await ids(`q=${encodeURIComponent('雪豹巡护台账')}`)).toEqual([id]);
    expect(await ids(`q=${encodeURIComponent('巡护')}`)).toEqual([id]);
  });

  it('when a later PROGRESS replaces the line, then the old words are found no more, the new ones are, and pages mixing the line with tasks’ own text keep plan order', async () => {
    const { id, task } = plan.find(({ id, task }) => id !== taskId(5) && task.responsibleUnits.length > 0)!;
    const lead = await s.token('unit', task.leadUnits[0]!);
    expect((await s.send(lead, id, { type: 'START' })).status).toBe(200);
    expect((await s.send(lead, id, { type: 'PROGRESS', summary: '冰川测绘旧稿已报不动产中心', percent: 20 })).status).toBe(200);
    expect(await ids(`q=${encodeURIComponent('冰川测绘旧稿')}`)).toEqual([id]);
    expect((await s.send(lead, id, { type: 'PROGRESS', summary: '冰川测绘新稿已报不动产中心', percent: 30 })).status).toBe(200);
    expect(await ids(`q=${encodeURIComponent('冰川测绘旧稿')}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('旧稿')}&limit=1000`)).toEqual(holding('旧稿'));
    expect(await ids(`q=${encodeURIComponent('冰川测绘新稿')}`)).toEqual([id]);
    // The text searched joins the task's own text and its latest line with a line break: a search across it still finds the task.
    const across = `${task.responsibleUnits.join('、').slice(-2)}\n冰川`;
    expect(await ids(`q=${encodeURIComponent(across)}&limit=1000`)).toEqual([id]);
    const expected = plan.filter((entry) => entry.id === id || holding('不动产').includes(entry.id)).sort((a, b) => a.task.number - b.task.number).map((entry) => entry.id);
    expect(expected.length).toBeGreaterThan(holding('不动产').length);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`q=${encodeURIComponent('不动产')}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      paged.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(expected);
  });

  it('when sorted by deadline descending and paged, then the limits never rise, the pages join without gap or repeat, and tasks without a date come last', async () => {
    const whole = (await list('sort=deadline&order=desc&limit=1000')).items;
    expect(whole).toHaveLength(71);
    const dated = whole.filter((item) => item.dueDate !== null);
    for (let i = 1; i < dated.length; i++) expect(dated[i - 1]!.dueDate! >= dated[i]!.dueDate!).toBe(true);
    expect(whole.slice(dated.length).every((item) => item.dueDate === null)).toBe(true);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`sort=deadline&order=desc&limit=9${cursor === null ? '' : `&cursor=${cursor}`}`);
      paged.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(whole.map((item) => item.id));
  });

  it('when sorted by number descending, by lead unit, by state or by light, then every task comes once in that order', async () => {
    const byNumber = (await list('sort=number&order=desc&limit=1000')).items.map((item) => item.number);
    expect(byNumber).toEqual([...byNumber].sort((a, b) => b - a));
    for (const sort of ['lead', 'state', 'light', 'updated']) {
      const items = (await list(`sort=${sort}&limit=1000`)).items;
      expect(new Set(items.map((item) => item.id)).size, sort).toBe(71);
    }
    const byLead = (await list('sort=lead&limit=1000')).items.map((item) => item.leadUnits[0]!);
    const collator = new Intl.Collator('zh-Hans-CN');
    for (let i = 1; i < byLead.length; i++) expect(collator.compare(byLead[i - 1]!, byLead[i]!)).toBeLessThanOrEqual(0);
  });

  it('when filtered by a deadline range and by overdue, then only tasks with limits in the range, and only overdue ones', async () => {
    const inRange = (await list('dueFrom=2023-07-01&dueTo=2023-12-31&limit=1000')).items;
    const expected = plan.filter(({ task }) => task.dueDate !== null && task.dueDate >= '2023-07-01' && task.dueDate <= '2023-12-31').length;
    expect(inRange.length).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect((await list('overdue=true&limit=1000')).items).toEqual([]);
    s.clock.set('2023-07-05T09:00:00+08:00');
    const overdue = (await list('overdue=true&limit=1000')).items;
    expect(overdue.length).toBe(plan.filter(({ task }) => task.dueDate !== null && task.dueDate < '2023-07-05').length);
    expect(overdue.every((item) => item.dueDate !== null && item.dueDate < '2023-07-05')).toBe(true);
  });

  it('when the range is backwards or not a date, or the sort is unknown, then 422 names the field', async () => {
    for (const [query, field] of [['dueFrom=2023-12-31&dueTo=2023-01-01', 'query.dueTo'], ['dueFrom=2023-02-30', 'query.dueFrom'], ['sort=colour', 'query.sort'], ['overdue=yes', 'query.overdue']] as const) {
      const response = await s.request(`/api/tasks?${query}`, { token: office });
      expect(response.status, query).toBe(422);
      expect(JSON.stringify((await problemOf(response))['errors']), query).toContain(field);
    }
  });
});
