import { allowedEvents } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import type { ReformTaskSnapshot } from '../src/index.ts';
import { reformTaskV1, taskView } from '../src/index.ts';
import { DAY, DEADLINE, EARLY, actors, created, play } from './support.ts';

const untouched = { state: 'assigned', percent: null, progressReports: 0, lastProgress: null, acknowledgedAt: null, doneAt: null, doneSummary: null, returnedReason: null };

describe('taskView', () => {
  test('given an overdue task with a progress report, then the view shows it as the lead unit sees it', () => {
    const task = play(created(), [
      ['START', 'lead', EARLY],
      ['PROGRESS', 'district', EARLY + 1, { summary: '已部署', percent: 20 }],
      ['PART_PROGRESS', 'district', EARLY + 1, { summary: '本区已部署', percent: 20 }],
      ['URGE', 'office', EARLY + 2],
      ['DEADLINE_PASSED', 'system', DEADLINE],
    ]);
    const now = DEADLINE + 2 * DAY;
    const allowed = allowedEvents(reformTaskV1, task.snapshot, actors.lead, now);
    const view = taskView({ id: 'karamay-2023-fangguanfu.008', version: task.version, snapshot: task.snapshot as ReformTaskSnapshot }, allowed, now);
    expect(view).toEqual({
      id: 'karamay-2023-fangguanfu.008',
      planId: 'karamay-2023-fangguanfu',
      number: 8,
      part: '一、持续深化简政放权',
      measure: '（二）深入推进行政审批制度改革。',
      text: '优化建设项目使用林、草地审批管理。',
      leadUnits: ['市林草局'],
      responsibleUnits: ['各区人民政府', '市自然资源局'],
      deadline: { date: '2023-06-30', ongoing: false, text: '2023年6月底前' },
      dueDate: '2023-06-30',
      state: 'in_progress',
      stateLabel: '推进中',
      version: 6,
      overdue: true,
      overdueDays: 3,
      light: 'red',
      lightLabel: '红灯',
      rejections: 0,
      urges: 1,
      lastProgress: { summary: '已部署', percent: 20, at: EARLY + 1, by: '白碱滩区人民政府' },
      pendingExtension: null,
      // Each district government in place of 各区人民政府, then 市自然资源局; the lead has no part.
      parts: [
        { ...untouched, unit: '独山子区人民政府' },
        { ...untouched, unit: '克拉玛依区人民政府' },
        {
          unit: '白碱滩区人民政府',
          state: 'reporting',
          percent: 20,
          progressReports: 1,
          lastProgress: { summary: '本区已部署', percent: 20, at: EARLY + 1 },
          acknowledgedAt: EARLY + 1,
          doneAt: null,
          doneSummary: null,
          returnedReason: null,
        },
        { ...untouched, unit: '乌尔禾区人民政府' },
        { ...untouched, unit: '市自然资源局' },
      ],
      allowedEvents: ['PROGRESS', 'REPORT', 'REQUEST_EXTENSION', 'COMMENT'],
    });
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  test('given a cancelled task, then its light reads 无 and it is not overdue', () => {
    const task = play(created(), [['CANCEL', 'office', EARLY]]);
    const view = taskView({ id: 'x', version: task.version, snapshot: task.snapshot as ReformTaskSnapshot }, [], DEADLINE + DAY);
    expect([view.state, view.stateLabel, view.light, view.lightLabel, view.overdue, view.overdueDays]).toEqual([
      'cancelled',
      '已撤销',
      'none',
      '无',
      false,
      0,
    ]);
  });
});
