import type { Assessment } from './assess-units.ts';

/** Reasons a piece holds: one unit's ~15,000 reasons are 3 MB of JSON, written a few tens of kilobytes at a time. */
const REASONS_A_PIECE = 200;
/** Stands in for a list while the rest of its object is serialized; never a value of an assessment. */
const MARKER = '\u0000list\u0000';
const MARKED = JSON.stringify(MARKER);

/**
 * The assessment's JSON, exactly `JSON.stringify(assessment)`, in pieces: each unit's row, and its
 * reasons a slice at a time. A unit's report with every reason is never one string of megabytes (V8
 * keeps such strings in its large-object space until a full collection, and the server's memory grows
 * with each report). Pure.
 */
export async function* assessmentJson(assessment: Assessment): AsyncGenerator<string> {
  const [head, tail] = around({ ...assessment, units: MARKER });
  yield `${head}[`;
  for (const [index, row] of assessment.units.entries()) {
    const comma = index === 0 ? '' : ',';
    if (row.reasons === undefined) {
      yield comma + JSON.stringify(row);
      continue;
    }
    const [rowHead, rowTail] = around({ ...row, reasons: MARKER });
    yield `${comma}${rowHead}[`;
    for (let start = 0; start < row.reasons.length; start += REASONS_A_PIECE) {
      const slice = JSON.stringify(row.reasons.slice(start, start + REASONS_A_PIECE));
      yield (start === 0 ? '' : ',') + slice.slice(1, -1);
    }
    yield `]${rowTail}`;
  }
  yield `]${tail}`;
}

/** The JSON of `value` before and after the one place its list stands (MARKER). */
function around(value: object): [string, string] {
  const text = JSON.stringify(value);
  const at = text.indexOf(MARKED);
  return [text.slice(0, at), text.slice(at + MARKED.length)];
}
