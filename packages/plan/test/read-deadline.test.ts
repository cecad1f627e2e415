import { describe, expect, it } from 'vitest';
import { readDeadline } from '../src/read-deadline.ts';

describe('readDeadline', () => {
  it.each([
    ['2023年6月底前', 2023, '2023-06-30', false],
    ['2023年6月底前并长期坚持', 2023, '2023-06-30', true],
    ['2023年12月底前。', 2023, '2023-12-31', false],
    ['2023年6月30日前', null, '2023-06-30', false],
    ['2023年9月', null, '2023-09-30', false],
    ['2023年6月中旬', null, '2023-06-20', false],
    ['2023年6月上旬', null, '2023-06-10', false],
    ['二〇二三年六月底前', null, '2023-06-30', false],
    ['2023年底前', null, '2023-12-31', false],
    ['2023年', null, '2023-12-31', false],
    ['2023—2025年', null, '2025-12-31', false],
    ['2023年6月底前启动，12月底前全面完成', null, '2023-12-31', false],
    ['6月底完成', 2024, '2024-06-30', false],
    ['6月前', 2024, '2024-05-31', false],
    ['1月前', 2024, '2023-12-31', false],
    ['年底前', 2024, '2024-12-31', false],
    ['年内完成', 2024, '2024-12-31', false],
    ['上半年', 2024, '2024-06-30', false],
    ['下半年', 2024, '2024-12-31', false],
    ['第三季度', 2024, '2024-09-30', false],
    ['一季度末', 2024, '2024-03-31', false],
    ['全年持续推进', 2024, null, true],
    ['长期坚持', 2024, null, true],
    ['常态化开展', 2024, null, true],
  ])('given "%s" in a plan of %s, then the date is %s (ongoing %s)', (text, year, date, ongoing) => {
    const reading = readDeadline(text, year);
    expect(reading.deadline).toEqual({ text: text.replace(/。$/, ''), date, ongoing });
    expect(reading.problem).toBeNull();
  });

  it.each([
    ['2024年2月底前', '2024-02-29'],
    ['2023年2月底前', '2023-02-28'],
    ['2000年2月底前', '2000-02-29'],
    ['2100年2月底前', '2100-02-28'],
  ])('given "%s", then the month end counts leap years: %s', (text, date) => {
    expect(readDeadline(text, null).deadline.date).toBe(date);
  });

  it('given ASCII punctuation, fullwidth digits or spaces, then the date is the same', () => {
    expect(readDeadline('２０２３年６月底前', null).deadline.date).toBe('2023-06-30');
    expect(readDeadline('2023 年 6 月底前', null).deadline.date).toBe('2023-06-30');
    expect(readDeadline('2023.6.30', null).deadline.date).toBe('2023-06-30');
  });

  it('given nothing, then there is no deadline and no problem', () => {
    expect(readDeadline('  ', 2023)).toEqual({ deadline: { text: '', date: null, ongoing: false }, recognized: false, problem: null });
  });

  it('given words it cannot read, then the text is kept, the date is null and a problem is reported', () => {
    const reading = readDeadline('尽快', 2023);
    expect(reading.deadline).toEqual({ text: '尽快', date: null, ongoing: false });
    expect(reading.problem).toBe('无法识别完成时限“尽快”');
  });

  it('given a month without a year in a plan whose year is unknown, then a problem says the year is missing', () => {
    const reading = readDeadline('6月底前', null);
    expect(reading.deadline.date).toBeNull();
    expect(reading.problem).toContain('没有写年份');
  });

  it('given an impossible date, then a problem says the date is invalid', () => {
    expect(readDeadline('2023年13月底前', null).problem).toContain('日期无效');
    expect(readDeadline('2023年2月30日', null).problem).toContain('日期无效');
  });
});
