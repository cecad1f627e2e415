import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer } from '../support/test-server.ts';
import { amendmentResponse, revisionPreviewResponse } from '../../src/api/schemas.ts';

type Task = { number: number; text: string; leadUnits: string[]; responsibleUnits: string[]; deadline: { text: string; date: string | null; ongoing: boolean } };
const task = (number: number, text: string, leadUnits: string[], date: string, responsibleUnits: string[] = []): Task => ({
  number,
  text,
  leadUnits,
  responsibleUnits,
  deadline: { text: `${date}前`, date, ongoing: false },
});
const planJson = (tasks: Task[]) => ({
  title: '示例市2024年“放管服”改革工作要点',
  issuer: null,
  issuedOn: null,
  year: 2024,
  requirements: [],
  warnings: [],
  tasks: tasks.map((t) => ({ part: null, measure: null, ...t })),
});
const original = [
  task(1, '推进企业开办全程网办。', ['市市场监管局'], '2024-06-30'),
  task(2, '推行证明事项告知承诺制。', ['市司法局'], '2024-09-30'),
  task(3, '建设政务数据共享平台。', ['市水务局'], '2024-12-31', ['各区人民政府']),
];

type Preview = { planId: string; basis: string; unchanged: number; changes: { id: string; kind: string; number: number; taskId: string | null; fields: { field: string; from: unknown; to: unknown }[] }[] };
type Answer = { created: string[]; amended: string[]; withdrawn: string[]; entries: number[] };

describe('amending a plan through the API: tasks added, tasks amended, revisions applied', () => {
  let s: TestServer;
  let office: string;
  const json = (path: string, body: unknown, init: { token?: string; method?: string; headers?: Record<string, string> } = {}) =>
    s.request(path, { method: init.method ?? 'POST', token: init.token ?? office, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...init.headers } });
  const taskView = async (id: string) => (await (await s.request(`/api/tasks/${id}`, { token: office })).json()) as { state: string; text: string; leadUnits: string[]; responsibleUnits: string[]; deadline: { date: string | null } };

  beforeAll(async () => {
    s = await startTestServer({ startAt: '2024-03-01T09:00:00+08:00', seed: async () => {} });
    office = await s.token('office');
    const imported = await json('/api/plans', { plan: planJson(original), planId: 'fgf-2024' });
    expect(imported.status).toBe(201);
  });
  afterAll(() => s.close());

  /** Refused requests change nothing: the same number of audit entries before and after. */
  async function refused(request: () => Promise<Response>, status: number, expectation: (problem: Record<string, unknown>) => void) {
    const entries = await s.auditCount();
    const response = await request();
    expect(response.status).toBe(status);
    expectation(await problemOf(response));
    expect(await s.auditCount()).toBe(entries);
  }

  describe('adding a task (领导交办)', () => {
    it('given a plan of three tasks, when the office adds one with its reason, then 201, it is task 4 and its creation entry carries the reason', async () => {
      const entries = await s.auditCount();
      const response = await json('/api/plans/fgf-2024/tasks', { reason: '市委常委会2024年第5次会议议定', text: '开展营商环境满意度调查。', leadUnits: ['市司法局'], deadline: { date: '2024-11-30' } });
      expect(response.status).toBe(201);
      expect(response.headers.get('Location')).toBe('/api/tasks/fgf-2024.004');
      expect(((await response.json()) as Answer).created).toEqual(['fgf-2024.004']);
      expect(await s.auditCount()).toBe(entries + 1);
      const history = (await (await s.request('/api/tasks/fgf-2024.004/history', { token: office })).json()) as { items: { type: string; payload: { input: { number: number; addition: unknown } } }[] };
      expect(history.items[0]?.payload.input).toMatchObject({ number: 4, addition: { reason: '市委常委会2024年第5次会议议定' } });
    });

    it('given an Idempotency-Key, when the same addition with its number is retried, then the first answer comes back and nothing more is written', async () => {
      const body = { reason: '领导交办', number: 40, text: '编制营商环境白皮书。', leadUnits: ['市司法局'], deadline: { date: '2024-12-31' } };
      const first = await json('/api/plans/fgf-2024/tasks', body, { headers: { 'Idempotency-Key': 'add-40' } });
      expect(first.status).toBe(201);
      const entries = await s.auditCount();
      const again = await json('/api/plans/fgf-2024/tasks', body, { headers: { 'Idempotency-Key': 'add-40' } });
      expect(again.status).toBe(201);
      expect(await again.json()).toEqual(await first.json());
      expect(await s.auditCount()).toBe(entries);
      // The task stays in the plan while the rest of the tests run: withdrawn, so no revision compares it.
      expect((await json('/api/tasks/fgf-2024.040/events', { type: 'CANCEL', reason: '并入第4项' })).status).toBe(200);
    });

    it('given a number the plan has already, when a task is added under it, then 409 naming the number and nothing written', async () => {
      await refused(() => json('/api/plans/fgf-2024/tasks', { reason: '领导交办', number: 2, text: '另一项任务。', leadUnits: ['市司法局'], deadline: { date: '2024-11-30' } }), 409, (problem) => {
        expect(problem['title']).toBe('本计划已有该序号的任务');
        expect(problem['errors']).toEqual([{ path: 'number', message: '本计划已有第2项任务，请换一个序号或不填（自动排在最后）' }]);
      });
    });

    const bad: [string, Record<string, unknown>, string][] = [
      ['an empty reason', { reason: '  ', text: '任务。', leadUnits: ['市司法局'], deadline: { date: '2024-11-30' } }, 'body.reason'],
      ['a deadline that is not a date', { reason: '交办', text: '任务。', leadUnits: ['市司法局'], deadline: { date: '2024年底' } }, 'body.deadline.date'],
      ['an unknown unit', { reason: '交办', text: '任务。', leadUnits: ['没有这个局'], deadline: { date: '2024-11-30' } }, 'leadUnits.0'],
      ['a collective as lead unit', { reason: '交办', text: '任务。', leadUnits: ['各区人民政府'], deadline: { date: '2024-11-30' } }, 'leadUnits.0'],
    ];
    for (const [what, body, path] of bad) {
      it(`given ${what}, when a task is added, then 422 naming ${path} and nothing written`, async () => {
        await refused(() => json('/api/plans/fgf-2024/tasks', body), 422, (problem) => {
          expect((problem['errors'] as { path: string; message: string }[]).map((e) => e.path)).toContain(path);
          expect(JSON.stringify(problem['errors'])).toMatch(/[\u4e00-\u9fff]/);
        });
      });
    }

    it('given a plan that does not exist, when a task is added to it, then 404 and nothing written', async () => {
      await refused(() => json('/api/plans/no-such-plan/tasks', { reason: '交办', text: '任务。', leadUnits: ['市司法局'], deadline: { date: '2024-11-30' } }), 404, (problem) => expect(problem['title']).toBe('计划不存在'));
    });

    it('given a unit token, when it adds a task, then 403 and nothing written', async () => {
      const unit = await s.token('unit', '市司法局');
      await refused(() => json('/api/plans/fgf-2024/tasks', { reason: '交办', text: '任务。', leadUnits: ['市司法局'], deadline: { date: '2024-11-30' } }, { token: unit }), 403, () => {});
    });
  });

  describe('amending a task (AMEND)', () => {
    it('given an assigned task, when the office amends its deadline and lead unit with a reason, then the task carries them and the history names who changed what', async () => {
      const response = await json('/api/tasks/fgf-2024.002/events', { type: 'AMEND', reason: '市政府常务会议调整', deadline: { date: '2024-12-31' }, leadUnits: ['市水务局'] });
      expect(response.status).toBe(200);
      const view = await taskView('fgf-2024.002');
      expect([view.deadline.date, view.leadUnits]).toEqual(['2024-12-31', ['市水务局']]);
      const history = (await (await s.request('/api/tasks/fgf-2024.002/history', { token: office })).json()) as { items: { type: string; actor: { role: string }; payload: Record<string, unknown> }[] };
      const amended = history.items.find((entry) => entry.type === 'AMEND');
      expect(amended?.actor.role).toBe('office');
      expect(amended?.payload).toMatchObject({ reason: '市政府常务会议调整', deadline: { date: '2024-12-31' }, leadUnits: ['市水务局'] });
      // The task's units as it now stands hear of it, with what changed and why.
      const notices = await (await s.request('/api/notifications', { token: await s.token('unit', '市水务局') })).text();
      expect(notices).toContain('【任务调整】第2项任务');
      expect(notices).toContain('的完成时限、牵头单位，依据：市政府常务会议调整');
    });

    it('given an unknown unit, an empty reason or a deadline not a date, when a task is amended, then 422 and nothing written', async () => {
      await refused(() => json('/api/tasks/fgf-2024.001/events', { type: 'AMEND', reason: '调整', responsibleUnits: ['没有这个局'] }), 422, (problem) => expect(JSON.stringify(problem['errors'])).toContain('responsibleUnits.0'));
      await refused(() => json('/api/tasks/fgf-2024.001/events', { type: 'AMEND', reason: '', text: '新的内容。' }), 422, () => {});
      await refused(() => json('/api/tasks/fgf-2024.001/events', { type: 'AMEND', reason: '调整', deadline: { date: '年底' } }), 422, () => {});
    });

    it('given an unknown task, when it is amended, then 404 and nothing written', async () => {
      await refused(() => json('/api/tasks/fgf-2024.099/events', { type: 'AMEND', reason: '调整', text: '新的内容。' }), 404, () => {});
    });
  });

  describe('a revised document (修订稿)', () => {
    // Task 1's text changes, task 2 is gone (and the added task 4), task 3 is the same, a new task appears as 5.
    const revised = () =>
      planJson([
        task(1, '推进企业开办全程网办，压缩至1个工作日。', ['市市场监管局'], '2024-06-30'),
        task(3, '建设政务数据共享平台。', ['市水务局'], '2024-12-31', ['各区人民政府']),
        task(5, '推行“一件事一次办”。', ['市司法局'], '2024-10-31'),
      ]);

    it('given a revision of a plan, when previewed, then the added, changed (field by field) and removed tasks come back and nothing is written', async () => {
      const entries = await s.auditCount();
      const response = await json('/api/plans/fgf-2024/revisions/preview', revised());
      expect(response.status).toBe(200);
      const body = (await response.json()) as unknown;
      expect(revisionPreviewResponse.safeParse(body).error).toBeUndefined();
      const preview = body as Preview;
      expect(preview.changes.map((c) => [c.id, c.kind])).toEqual([
        ['change:fgf-2024.001', 'change'],
        ['remove:fgf-2024.002', 'remove'],
        // The added task 4 of the plan (领导交办) is not in the document either.
        ['remove:fgf-2024.004', 'remove'],
        ['add:5', 'add'],
      ]);
      expect(preview.changes[0]?.fields).toEqual([{ field: 'text', from: '推进企业开办全程网办。', to: '推进企业开办全程网办，压缩至1个工作日。' }]);
      expect(preview.unchanged).toBe(1);
      expect(preview.basis).toMatch(/^[0-9a-f]{32}$/);
      expect(await s.auditCount()).toBe(entries);
    });

    it('given a preview, when the office applies some of its changes, then each is an entry (AMEND, CANCEL, a new task) in one go, a retry with the same key writes nothing more, and the log still verifies and replays', async () => {
      const preview = (await (await json('/api/plans/fgf-2024/revisions/preview', revised())).json()) as Preview;
      const entries = await s.auditCount();
      const body = { plan: revised(), basis: preview.basis, apply: ['change:fgf-2024.001', 'remove:fgf-2024.002', 'add:5'], reason: '市委深改委第3次会议审议通过的修订稿' };
      const response = await json('/api/plans/fgf-2024/revisions', body, { headers: { 'Idempotency-Key': 'rev-1' } });
      expect(response.status, await response.clone().text()).toBe(200);
      const answer = (await response.json()) as Answer;
      expect(amendmentResponse.safeParse(answer).error).toBeUndefined();
      expect(answer).toMatchObject({ created: ['fgf-2024.005'], amended: ['fgf-2024.001'], withdrawn: ['fgf-2024.002'] });
      expect(await s.auditCount()).toBe(entries + 3);
      expect((await taskView('fgf-2024.001')).text).toBe('推进企业开办全程网办，压缩至1个工作日。');
      expect((await taskView('fgf-2024.002')).state).toBe('cancelled');
      expect((await taskView('fgf-2024.004')).state).toBe('assigned');

      const again = await json('/api/plans/fgf-2024/revisions', body, { headers: { 'Idempotency-Key': 'rev-1' } });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(answer);
      expect(await s.auditCount()).toBe(entries + 3);

      const verified = (await (await s.request('/api/audit/verify', { token: office })).json()) as { ok: boolean };
      expect(verified.ok).toBe(true);
      const replay = (await (await s.request('/api/replay', { token: office })).json()) as { ok?: boolean; mismatches?: unknown[] };
      expect(replay.mismatches ?? []).toEqual([]);
    });

    it('given a preview read before the plan changed, when it is applied, then 409 saying so and nothing written', async () => {
      const preview = (await (await json('/api/plans/fgf-2024/revisions/preview', revised())).json()) as Preview;
      expect((await json('/api/tasks/fgf-2024.003/events', { type: 'AMEND', reason: '调整', text: '建设全市政务数据共享平台。' })).status).toBe(200);
      await refused(() => json('/api/plans/fgf-2024/revisions', { plan: revised(), basis: preview.basis, apply: [preview.changes[0]!.id], reason: '修订稿' }), 409, (problem) => {
        expect(problem['title']).toBe('预览之后计划已有变动，请重新上传修订稿并预览');
      });
    });

    it('given changes not in the difference (an unknown task, a task of another plan), an empty reason or nothing chosen, when applied, then 422 naming each and nothing written', async () => {
      const preview = (await (await json('/api/plans/fgf-2024/revisions/preview', revised())).json()) as Preview;
      const apply = (fields: Record<string, unknown>) => json('/api/plans/fgf-2024/revisions', { plan: revised(), basis: preview.basis, reason: '修订稿', apply: [preview.changes[0]!.id], ...fields });
      await refused(() => apply({ apply: ['change:fgf-2024.099', 'remove:other-2024.001'] }), 422, (problem) => {
        expect((problem['errors'] as { path: string }[]).map((e) => e.path)).toEqual(['apply.0', 'apply.1']);
      });
      await refused(() => apply({ reason: ' ' }), 422, (problem) => expect(problem['errors']).toEqual([{ path: 'reason', message: '请填写修订依据' }]));
      await refused(() => apply({ apply: [] }), 422, (problem) => expect(problem['errors']).toEqual([{ path: 'apply', message: '请至少选择一项修订' }]));
    });

    it('given a plan that does not exist, when a revision is previewed or applied, then 404 and nothing written', async () => {
      await refused(() => json('/api/plans/no-such-plan/revisions/preview', revised()), 404, (problem) => expect(problem['title']).toBe('计划不存在'));
      await refused(() => json('/api/plans/no-such-plan/revisions', { plan: revised(), basis: '0'.repeat(32), apply: ['add:1'], reason: '修订稿' }), 404, () => {});
    });
  });

  describe('a plan set inactive', () => {
    it('given an active plan, when the office sets it inactive and active again, then the plan list says so each time', async () => {
      const off = await json('/api/plans/fgf-2024', { active: false }, { method: 'PATCH' });
      expect(off.status).toBe(200);
      const listed = async () => ((await (await s.request('/api/plans', { token: office })).json()) as { items: { id: string; active: boolean }[] }).items.find((p) => p.id === 'fgf-2024')?.active;
      expect(await listed()).toBe(false);
      expect((await json('/api/plans/fgf-2024', { active: true }, { method: 'PATCH' })).status).toBe(200);
      expect(await listed()).toBe(true);
    });

    it('given an unknown plan, a body without active, or a unit token, then 404, 422 and 403', async () => {
      expect((await json('/api/plans/no-such-plan', { active: false }, { method: 'PATCH' })).status).toBe(404);
      expect((await json('/api/plans/fgf-2024', { active: 'no' }, { method: 'PATCH' })).status).toBe(422);
      expect((await json('/api/plans/fgf-2024', { active: false }, { method: 'PATCH', token: await s.token('unit', '市司法局') })).status).toBe(403);
    });
  });
});
