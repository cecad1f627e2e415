import { describe, expect, it } from 'vitest';
import type { Assessment, AssessmentReason } from '../../src/reports/index.ts';
import { assessmentJson } from '../../src/reports/index.ts';

const reason = (seq: number): AssessmentReason => ({ ruleId: 'urge', text: '被督办（催办）', taskId: `t.${seq}`, taskNumber: seq, points: -0.5, seq, at: new Date(seq * 1000).toISOString(), via: seq % 3 === 0 ? '各区人民政府' : null });
const row = (unit: string, rank: number, reasons?: AssessmentReason[]) => ({
  unit, rank, score: 100 - rank, gained: 1, lost: -rank, byRule: [{ ruleId: 'urge', text: '被督办（催办）', count: rank, points: -rank }],
  ...(reasons === undefined ? {} : { reasons }),
});

async function joined(assessment: Assessment): Promise<{ text: string; longest: number }> {
  let text = '';
  let longest = 0;
  for await (const piece of assessmentJson(assessment)) {
    text += piece;
    longest = Math.max(longest, piece.length);
  }
  return { text, longest };
}

describe('the assessment as JSON in pieces', () => {
  it.each([
    ['no unit', []],
    ['units without reasons', [row('市司法局', 1), row('市财政局', 2)]],
    ['one unit with 450 reasons among others', [row('市财政局', 1), row('市司法局', 2, Array.from({ length: 450 }, (_, i) => reason(i + 1))), row('市医保局', 3, [])]],
  ])('given an assessment with %s, when it is written in pieces, then the pieces make exactly its JSON', async (_case, units) => {
    for (const assessment of [
      { rulesVersion: '2023-1', base: 100, asOf: '2023-10-31T15:59:59.999Z', units },
      { rulesVersion: '2023-1', base: 100, asOf: '2023-10-31T15:59:59.999Z', period: { name: '2023年第三季度', from: '2023-07-01', to: '2023-09-30' }, units },
    ] as Assessment[]) {
      const { text, longest } = await joined(assessment);
      expect(text).toBe(JSON.stringify(assessment));
      expect(JSON.parse(text)).toEqual(assessment);
      // No piece holds more than a slice of reasons
      expect(longest).toBeLessThan(200 * 200);
    }
  });
});
