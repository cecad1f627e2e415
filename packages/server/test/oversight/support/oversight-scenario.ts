import { expect } from 'vitest';
import type { OversightServer } from './oversight-server.ts';
import { accepted, shanghai } from './oversight-server.ts';

/** Report date A: the end of 2023-08-20 (Asia/Shanghai). */
export const DATE_A = '2023-08-20';
export const END_A = new Date(Date.parse(shanghai('2023-08-21 00:00')) - 1).toISOString();
/** Report date B: the end of 2023-09-30. */
export const DATE_B = '2023-09-30';
export const END_B = new Date(Date.parse(shanghai('2023-10-01 00:00')) - 1).toISOString();

/**
 * Plays the scenario through the HTTP API (timers fired by the engine at the clock's time). Each step
 * is commented with the audit seq it writes; the plan's import wrote seq 1..4. Ends with the clock at
 * 2023-10-08 10:00.
 */
export async function playScenario(s: OversightServer): Promise<void> {
  const office = await s.token('office');
  const ndrc = await s.token('unit', '市发改委');
  const market = await s.token('unit', '市市场监管局');
  const justice = await s.token('unit', '市司法局');
  const hr = await s.token('unit', '市人社局');
  const evidence = (title: string) => [{ title }];

  await accepted(s.send('2023-05-12 10:00', ndrc, 1, { type: 'START' })); // 5
  await accepted(s.send('2023-05-15 10:00', market, 2, { type: 'START' })); // 6
  await accepted(s.send('2023-05-20 10:00', justice, 3, { type: 'START' })); // 7
  await accepted(s.send('2023-06-01 10:00', hr, 4, { type: 'START' })); // 8
  await accepted(s.send('2023-06-01 11:00', office, 3, { type: 'URGE', message: '请加快推进' })); // 9
  // Refused: a unit may not urge (403), the office may not verify an unreported task (409).
  expect((await s.send('2023-06-01 11:30', justice, 3, { type: 'URGE', message: '自行督办' })).status).toBe(403);
  expect((await s.send('2023-06-01 11:40', office, 3, { type: 'VERIFY' })).status).toBe(409);
  await accepted(s.send('2023-06-10 10:00', market, 2, { type: 'REPORT', summary: '告知承诺制已推行', evidence: evidence('实施方案') })); // 10
  await accepted(s.send('2023-06-15 10:00', office, 2, { type: 'REJECT', reason: '佐证材料不足' })); // 11
  await accepted(s.send('2023-06-20 10:00', market, 2, { type: 'REPORT', summary: '已补充佐证材料', evidence: evidence('告知承诺书样本') })); // 12
  await accepted(s.send('2023-06-25 10:00', office, 2, { type: 'VERIFY', opinion: '材料齐全，同意' })); // 13
  expect(await s.fire('2023-06-28 09:00')).toEqual(['WARN 1']); // 14
  expect(await s.fire('2023-07-01 09:00')).toEqual(['DEADLINE_PASSED 1']); // 15
  await accepted(s.send('2023-07-05 10:00', office, 2, { type: 'CLOSE', note: '成效明显', commend: true })); // 16
  await accepted(s.send('2023-07-10 10:00', office, 1, { type: 'ESCALATE', reason: '逾期未完成' })); // 17
  await accepted(
    s.send('2023-07-20 10:00', office, 1, { type: 'RECORD_INTERVIEW', heldOn: '2023-07-20', attendees: ['市发改委主任'], findings: '推进迟缓', rectifyBy: '2023-08-31' }),
  ); // 18
  expect(await s.fire('2023-07-29 09:00')).toEqual(['WARN 3']); // 19
  expect(await s.fire('2023-08-01 09:00')).toEqual(['DEADLINE_PASSED 3']); // 20
  await accepted(s.send('2023-08-05 10:00', ndrc, 1, { type: 'REPORT', summary: '清单事项已全部实现网上办理', evidence: evidence('办理情况表') })); // 21
  await accepted(s.send('2023-08-10 10:00', office, 1, { type: 'VERIFY', opinion: '整改到位' })); // 22
  await accepted(s.send('2023-08-15 10:00', office, 3, { type: 'URGE', message: '请立即整改' })); // 23
  // ---- date A: end of 2023-08-20
  expect(await s.fire('2023-08-31 09:00')).toEqual(['ESCALATE 3']); // 24 (30 days after the deadline, by the system)
  await accepted(s.send('2023-09-05 10:00', office, 3, { type: 'REFER', reason: '整改不力', referredTo: '市纪委监委' })); // 25
  // ---- date B: end of 2023-09-30
  expect(await s.fire('2023-10-08 10:00')).toEqual([]);
}
