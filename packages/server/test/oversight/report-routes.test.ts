import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentResponse, summaryResponse } from '../../src/api/schemas.ts';
import { problemOf } from '../support/test-server.ts';
import { DATE_A, DATE_B, END_A, END_B, playScenario } from './support/oversight-scenario.ts';
import { accepted } from './support/oversight-server.ts';
import type { OversightServer } from './support/oversight-server.ts';
import { DISTRICTS, id, shanghai, startOversightServer } from './support/oversight-server.ts';

const tally = (total: number, closed: number, verified: number, overdue: number, red: number, yellow: number, green: number) => ({ total, closed, verified, overdue, red, yellow, green });
const states = (s: Partial<Record<string, number>>) => ({ assigned: 0, in_progress: 0, reported: 0, verified: 0, closed: 0, interview: 0, accountability: 0, cancelled: 0, ...s });

describe('the office reports through the HTTP API', () => {
  let s: OversightServer;
  let office: string;
  beforeAll(async () => {
    // Given the scenario played through the API, and the clock on 2023-10-08 10:00
    s = await startOversightServer();
    await playScenario(s);
    office = await s.token('office');
  });
  afterAll(() => s.close());

  const get = (path: string, token = office) => s.request(path, { token });

  describe('GET /api/reports/summary', () => {
    it('when the office asks for the summary as of date A (end of 2023-08-20), then it gets the figures worked out by hand', async () => {
      const response = await get(`/api/reports/summary?asOf=${DATE_A}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const summary = await response.json();
      expect(summaryResponse.safeParse(summary).error).toBeUndefined();
      expect(summary).toEqual({
        asOf: END_A,
        total: 4,
        byState: states({ in_progress: 2, verified: 1, closed: 1 }),
        byLight: { red: 1, yellow: 0, green: 3, none: 0 },
        byPart: [
          { part: '一、持续深化简政放权', ...tally(2, 1, 1, 0, 0, 0, 2) },
          { part: '二、不断创新监管机制', ...tally(1, 0, 0, 1, 1, 0, 0) },
          { part: '三、持续优化政务服务', ...tally(1, 0, 0, 0, 0, 0, 1) },
        ],
        byLeadUnit: [
          { unit: '市发改委', ...tally(1, 0, 1, 0, 0, 0, 1) },
          { unit: '市人社局', ...tally(1, 0, 0, 0, 0, 0, 1) },
          { unit: '市市场监管局', ...tally(1, 1, 0, 0, 0, 0, 1) },
          { unit: '市司法局', ...tally(1, 0, 0, 1, 1, 0, 0) },
        ],
        completion: { done: 2, base: 4, rate: 0.5, percent: '50.0%' },
        // Task 3: due at the end of 2023-07-31; 20 days overdue by the end of 2023-08-20.
        overdue: [
          {
            id: id(3),
            number: 3,
            text: '全面推行“双随机、一公开”监管。',
            leadUnits: ['市司法局'],
            responsibleUnits: ['各区人民政府'],
            dueDate: '2023-07-31',
            days: 20,
            state: 'in_progress',
            stateLabel: '推进中',
          },
        ],
        activity: { urges: 2, warnings: 2, deadlinesPassed: 2, rejections: 1, interviewsStarted: 1, interviewsHeld: 1, referrals: 0, commendations: 1, extensionsApproved: 0 },
      });
    });

    it('when the office asks for the summary as of date B (end of 2023-09-30), given as an instant, then it gets the figures of B', async () => {
      const summary = await (await get(`/api/reports/summary?asOf=${encodeURIComponent('2023-09-30T23:59:59.999+08:00')}`)).json();
      expect(summary.asOf).toBe(END_B);
      expect(summary.byState).toEqual(states({ in_progress: 1, verified: 1, closed: 1, accountability: 1 }));
      expect(summary.byLight).toEqual({ red: 1, yellow: 0, green: 3, none: 0 });
      expect(summary.byLeadUnit.find((u: { unit: string }) => u.unit === '市司法局')).toEqual({ unit: '市司法局', ...tally(1, 0, 0, 0, 1, 0, 0) });
      // Referred for accountability: no longer counted overdue.
      expect(summary.overdue).toEqual([]);
      expect(summary.activity).toMatchObject({ interviewsStarted: 2, referrals: 1 });
    });

    it('when asOf is absent or today’s date, then the summary is as of the server clock', async () => {
      const now = s.clock.now().toISOString();
      expect((await (await get('/api/reports/summary')).json()).asOf).toBe(now);
      expect((await (await get('/api/reports/summary?asOf=2023-10-08')).json()).asOf).toBe(now);
    });
  });

  describe('GET /api/reports/units', () => {
    it('when the office asks for the units at A and B, then every unit is scored by the rules, each point with its audit seq', async () => {
      const atA = await (await get(`/api/reports/units?asOf=${DATE_A}`)).json();
      expect(assessmentResponse.safeParse(atA).error).toBeUndefined();
      // 市市场监管局: rejected −2, verified on time +2, commended +3; 市司法局: urged twice −2, overdue −3 (task 2
      // verified on time earns it nothing: it never reported its own part done); 市发改委: overdue −3, interview −5;
      // each district −1 per overdue task.
      expect(atA.units.map((u: { unit: string; score: number }) => [u.unit, u.score])).toEqual([
        ['市市场监管局', 103],
        ['市财政局', 100],
        ['市人社局', 100],
        ...['白碱滩区人民政府', '独山子区人民政府', '克拉玛依区人民政府', '乌尔禾区人民政府'].map((unit) => [unit, 98]),
        ['市司法局', 95],
        ['市发改委', 92],
      ]);
      // Scores by rule for every unit; the reasons only for the unit asked for.
      const market = atA.units.find((u: { unit: string }) => u.unit === '市市场监管局');
      expect(market.reasons).toBeUndefined();
      expect(market.byRule.map((r: { ruleId: string; count: number; points: number }) => [r.ruleId, r.count, r.points])).toEqual([
        ['verified-on-time-lead', 1, 2],
        ['commendation', 1, 3],
        ['rejected', 1, -2],
      ]);
      const marketAlone = await (await get(`/api/reports/units?asOf=${DATE_A}&unit=${encodeURIComponent('市市场监管局')}`)).json();
      expect(assessmentResponse.safeParse(marketAlone).error).toBeUndefined();
      expect(marketAlone.units).toHaveLength(1);
      expect(marketAlone.units[0].score).toBe(103);
      expect(marketAlone.units[0].reasons.map((r: { ruleId: string; seq: number; points: number }) => [r.ruleId, r.seq, r.points])).toEqual([
        ['rejected', 11, -2],
        ['verified-on-time-lead', 13, 2],
        ['commendation', 16, 3],
      ]);
      const district = (await (await get(`/api/reports/units?asOf=${DATE_A}&unit=${encodeURIComponent(DISTRICTS[0]!)}`)).json()).units[0];
      expect(district.reasons.map((r: { seq: number; via: string | null }) => [r.seq, r.via])).toEqual([[15, '各区人民政府'], [20, '各区人民政府']]);
      expect((await (await get(`/api/reports/units?asOf=${DATE_A}&unit=${encodeURIComponent('不存在的单位')}`)).json()).units).toEqual([]);

      // At B the system's interview (−5) and the referral (−10) have cost 市司法局 15 more.
      const atB = await (await get(`/api/reports/units?asOf=${DATE_B}`)).json();
      expect(atB.asOf).toBe(END_B);
      expect(atB.units.map((u: { unit: string; score: number }) => [u.unit, u.score]).slice(-2)).toEqual([
        ['市发改委', 92],
        ['市司法局', 80],
      ]);
    });
  });

  describe('GET /api/reports/ledger.csv', () => {
    it('when the office downloads the 台账 as of A, then it gets UTF-8 CSV with a BOM, a Chinese file name and one row per task', async () => {
      const response = await get(`/api/reports/ledger.csv?asOf=${DATE_A}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="ledger-2023-08-20.csv"; filename*=UTF-8''${encodeURIComponent('台账-2023-08-20.csv')}`,
      );
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
      expect(lines).toEqual([
        '序号,所属部分,具体举措,任务内容,牵头单位,责任单位,完成时限,当前状态,红黄绿灯,最新进展,核验意见,逾期天数,报送情况,约谈情况,领导批示,部分完成情况',
        '1,一、持续深化简政放权,（一）构建公平规范的市场规则。,推动市场准入负面清单事项全部实现网上办理。,市发改委,各区人民政府、市级各有关部门,2023年6月底前（现时限 2023-08-31）,已核验,绿灯,2023-08-05 报送办结：清单事项已全部实现网上办理,整改到位,0,按时报送,2023-07-20 约谈，整改时限 2023-08-31,,部分 0/4 完成',
        '2,一、持续深化简政放权,（二）深入推进行政审批制度改革。,全面推行告知承诺制。,市市场监管局,市司法局,2023年6月底前,已销号,绿灯,2023-06-20 报送办结：已补充佐证材料,材料齐全，同意,0,按时报送,无,,部分 0/1 完成',
        '3,二、不断创新监管机制,（七）推进公正监管。,全面推行“双随机、一公开”监管。,市司法局,各区人民政府,2023年7月底前,推进中,红灯,,,20,,无,,部分 0/4 完成',
        '4,三、持续优化政务服务,（十二）提升政务服务效能。,推进“一件事一次办”。,市人社局,市财政局,2023年12月底前,推进中,绿灯,,,0,,无,,部分 0/1 完成',
        '',
      ]);
    });

    it('when the office downloads the 台账 as of B, then task 3 shows as referred for accountability', async () => {
      const text = await (await get(`/api/reports/ledger.csv?asOf=${DATE_B}`)).text();
      expect(text.split('\r\n')[3]).toBe('3,二、不断创新监管机制,（七）推进公正监管。,全面推行“双随机、一公开”监管。,市司法局,各区人民政府,2023年7月底前,已移交问责,红灯,,,0,,2023-09-05 移交问责（市纪委监委）,,部分 0/4 完成');
    });
  });

  describe('GET /api/reports/ledger.xlsx', () => {
    it('when the office downloads the workbook as of B, then exceljs reads it back with the same cells', async () => {
      const response = await get(`/api/reports/ledger.xlsx?asOf=${DATE_B}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="ledger-2023-09-30.xlsx"; filename*=UTF-8''${encodeURIComponent('台账-2023-09-30.xlsx')}`);

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const sheet = workbook.getWorksheet('台账')!;
      expect(sheet.getCell('A1').value).toBe('“放管服”改革任务督办台账（截至2023年9月30日）');
      expect(sheet.getRow(2).getCell(14).value).toBe('约谈情况');
      expect(sheet.getRow(2).getCell(15).value).toBe('领导批示');
      const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
      expect(row(3)).toEqual([
        1, '一、持续深化简政放权', '（一）构建公平规范的市场规则。', '推动市场准入负面清单事项全部实现网上办理。', '市发改委', '各区人民政府、市级各有关部门',
        '2023年6月底前（现时限 2023-08-31）', '已核验', '绿灯', '2023-08-05 报送办结：清单事项已全部实现网上办理', '整改到位', 0, '按时报送', '2023-07-20 约谈，整改时限 2023-08-31', undefined, '部分 0/4 完成',
      ]);
      expect(row(5).slice(7, 9)).toEqual(['已移交问责', '红灯']);
      expect(sheet.getRow(5).getCell(9).fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FFFF0000' } });
      expect(sheet.rowCount).toBe(6);
      // The second sheet lists each unit's part: four districts on tasks 1 and 3, one unit on tasks 2 and 4.
      const parts = workbook.getWorksheet('各单位承担部分')!;
      expect(parts.getRow(2).getCell(4).value).toBe('单位');
      expect(parts.rowCount).toBe(2 + 4 + 1 + 4 + 1);
      expect((parts.getRow(3).values as unknown[]).slice(1, 6)).toEqual([1, '推动市场准入负面清单事项全部实现网上办理。', '市发改委', '独山子区人民政府', '待签收']);
    });
  });

  describe('GET /api/reports/circular', () => {
    it('when the office asks for the circular of August 2023, then it gets it as Markdown', async () => {
      const response = await get('/api/reports/circular?from=2023-08&to=2023-08');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      const text = await response.text();
      const blocks = text.split('\n\n');
      expect(blocks[0]).toBe('# 关于2023年8月“放管服”改革工作推进情况的通报');
      expect(blocks).toContain(
        '截至2023年8月31日，纳入督办的改革任务共4项，其中已撤销0项，实际推进4项。已完成2项（已销号1项、已核验1项），完成率50.0%；' +
          '推进中1项，待核验0项，已交办未启动0项，约谈中1项，已移交问责0项。红灯1项、黄灯0项、绿灯3项，逾期未完成1项。',
      );
      expect(blocks).toContain('本期（2023年8月1日至8月31日）新完成1项，督办1次，退回办结报送0次，启动约谈1次，移交问责0次，表扬0次。');
      // Task 3 is 31 days overdue at the end of August, and the system started an interview on the 31st.
      expect(blocks).toContain('- 第3项：全面推行“双随机、一公开”监管。（牵头单位：市司法局；责任单位：各区人民政府；完成时限：2023年7月31日；已逾期31天，当前状态：约谈中）');
      expect(blocks).toContain('- 市司法局：第3项逾期31天未完成；第3项启动约谈（逾期30日未报送办结，自动启动约谈）。');
      // Task 1 was verified after an overdue spell and an interview: not commended for keeping time.
      expect(blocks[blocks.indexOf('## 四、表扬单位') + 1]).toBe('本期无。');
    });

    it('when the office asks for the circular of June and July 2023 as html, then it gets a printable HTML page', async () => {
      const response = await get('/api/reports/circular?from=2023-06-01&to=2023-07-31&format=html');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toContain('<h1>关于2023年6月至7月“放管服”改革工作推进情况的通报</h1>');
      expect(html).toContain('<p>本期（2023年6月1日至7月31日）新完成1项，督办1次，退回办结报送1次，启动约谈1次，移交问责0次，表扬1次。</p>');
      expect(html).toContain('<li>市市场监管局：第2项按时完成；第2项获表扬。</li>');
      expect(html).toContain('<li>市发改委：第1项启动约谈（逾期未完成）。</li>');
      expect(html).toContain('逾期未完成0项');
    });
  });

  describe('who may read them', () => {
    const paths = ['/api/reports/summary', '/api/reports/units', '/api/reports/ledger.csv', '/api/reports/ledger.xlsx', '/api/reports/circular?from=2023-08&to=2023-08'];

    it('when reviewers and admins ask, then they get the reports; when a unit asks, then 403 (but its own assessment), and without a token 401, as problem details', async () => {
      const reviewer = await s.token('reviewer');
      const admin = await s.token('admin');
      const unit = await s.token('unit', '市司法局');
      for (const path of paths) {
        expect((await get(path, reviewer)).status, path).toBe(200);
        expect((await get(path, admin)).status, path).toBe(200);
        const refused = await get(path, unit);
        if (path.startsWith('/api/reports/units')) {
          // A unit reads its own row of the assessment, and only that.
          expect(refused.status, path).toBe(200);
          expect(((await refused.json()) as { units: { unit: string }[] }).units.map((u) => u.unit), path).toEqual(['市司法局']);
          continue;
        }
        expect(refused.status, path).toBe(403);
        expect((await problemOf(refused)).title).toBe('无权执行此操作');
        expect((await s.request(path)).status, path).toBe(401);
      }
    });
  });

  describe('bad input', () => {
    const refused = async (path: string, field: string) => {
      const response = await get(path);
      expect(response.status, path).toBe(422);
      const problem = await problemOf(response);
      expect(problem.title).toBe('请求内容不符合要求');
      expect((problem.errors as { path: string }[]).map((e) => e.path), path).toEqual([field]);
      return problem;
    };

    it('when asOf is not a date or instant, not a real day, or after now, then 422 names asOf', async () => {
      for (const path of ['/api/reports/summary?asOf=yesterday', '/api/reports/units?asOf=2023-02-30', '/api/reports/ledger.csv?asOf=2023-08-20T25:00:00Z']) {
        await refused(path, 'query.asOf');
      }
      const future = await refused(`/api/reports/ledger.xlsx?asOf=${encodeURIComponent(shanghai('2023-10-08 10:01'))}`, 'query.asOf');
      expect(future.detail).toMatch(/must not be after the server's current time 2023-10-08T02:00:00.000Z/);
      await refused('/api/reports/summary?asOf=2023-10-09', 'query.asOf');
    });

    it('when a parameter is unknown, a period backwards, in the future or open, or a format unknown, then 422 names it', async () => {
      await refused('/api/reports/summary?as_of=2023-08-20', 'query.as_of');
      const backwards = await refused('/api/reports/circular?from=2023-09&to=2023-08-31', 'query.from');
      expect(backwards.detail).toMatch(/must not be after to/);
      await refused('/api/reports/circular?from=2023-09-01&to=2023-10', 'query.to');
      await refused('/api/reports/circular?from=2023-13&to=2023-10', 'query.from');
      await refused('/api/reports/circular?from=2023-08&to=2023-08&format=pdf', 'query.format');
      await refused('/api/reports/circular?from=2023-08', 'query.to');
    });
  });

  // Runs last: it writes to the log.
  describe('as of now, from the read model kept current from the log', () => {
    const nowAndReplayed = async (path: string) => {
      const live = await (await get(path)).json();
      const replayed = await (await get(`${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(s.clock.now().toISOString())}`)).json();
      return { live, replayed };
    };

    it('when the reports as of now are asked before and after new entries, then each answers what replaying the log to the same instant answers', async () => {
      for (const path of ['/api/reports/summary', '/api/reports/units', `/api/reports/units?unit=${encodeURIComponent('市司法局')}`]) {
        const { live, replayed } = await nowAndReplayed(path);
        expect(live, path).toEqual(replayed);
      }
      // The ledger as of now reads the stored tasks: the same rows as the replayed ones.
      const ledgerNow = await (await get('/api/reports/ledger.csv')).text();
      expect(ledgerNow).toBe(await (await get(`/api/reports/ledger.csv?asOf=${encodeURIComponent(s.clock.now().toISOString())}`)).text());
      const before = await (await get('/api/reports/summary')).json();

      // When the office urges a task still in progress and a unit starts one still assigned
      const tasks = (await (await get('/api/tasks')).json()).items as { number: number; allowedEvents: string[] }[];
      const urged = tasks.find((task) => task.allowedEvents.includes('URGE'));
      expect(urged, 'a task the office may urge').toBeDefined();
      await accepted(s.send('2023-10-08 10:30', office, urged!.number, { type: 'URGE', message: '请于本周内报送进展' }));

      // Then the reports as of now count it, and still equal the replayed ones
      const after = await (await get('/api/reports/summary')).json();
      expect(after.activity.urges).toBe(before.activity.urges + 1);
      for (const path of ['/api/reports/summary', '/api/reports/units']) {
        const { live, replayed } = await nowAndReplayed(path);
        expect(live, path).toEqual(replayed);
      }
    });

    it('given the clock before the log’s last entry, when the summary as of now is asked, then it is replayed, leaving out the later entry', async () => {
      const latest = s.clock.now();
      s.clock.set(new Date(latest.getTime() - 60_000).toISOString());
      try {
        const summary = await (await get('/api/reports/summary')).json();
        // The urge of 10:30 is after the clock: not counted.
        const replayed = await (await get(`/api/reports/summary?asOf=${encodeURIComponent(s.clock.now().toISOString())}`)).json();
        expect(summary).toEqual(replayed);
        expect(summary.asOf).toBe(s.clock.now().toISOString());
      } finally {
        s.clock.set(latest.toISOString());
      }
    });
  });
});
