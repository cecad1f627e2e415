import { SHANGHAI_OFFSET_MS } from './calendar-date.ts';

type Issue = { path: string; message: string };

/**
 * RECORD_INTERVIEW: an interview is recorded once it has been held, so `heldOn` (an Asia/Shanghai
 * calendar day) may not be after the day of the event's time `at` (epoch ms). Pure.
 */
export function checkInterviewRecord(payload: { heldOn: string }, at: number): Issue[] {
  const today = new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  return payload.heldOn > today ? [{ path: 'heldOn', message: `约谈日期不能晚于记录当天（${today}）` }] : [];
}
