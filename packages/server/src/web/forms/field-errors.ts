import type { FieldIssue } from '../../http/http-problem.ts';
import type { FormEventType, FormField } from './event-forms.ts';
import { eventForms } from './event-forms.ts';

/** Error messages by input name, and those that belong to no one input. */
export interface FormErrors {
  readonly byInput: Readonly<Record<string, readonly string[]>>;
  readonly general: readonly string[];
}

const CJK = /[\u3400-\u9fff]/;

const translations: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/expected string to have >=1 characters/, () => '不能为空'],
  [/expected string to have <=(\d+) characters/, (m) => `不能超过${m[1]}个字`],
  [/expected array to have >=(\d+) items/, (m) => (m[1] === '1' ? '至少填写一项' : `至少填写${m[1]}项`)],
  [/expected array to have <=(\d+) items/, (m) => `最多${m[1]}项`],
  [/expected number to be >=(-?\d+)/, (m) => `不能小于${m[1]}`],
  [/expected number to be <=(-?\d+)/, (m) => `不能大于${m[1]}`],
  [/expected int, received number/, () => '须为整数'],
  [/expected number, received/, () => '须为数字'],
  [/expected boolean, received undefined/, () => '请选择一项'],
  [/received undefined/, () => '此项必填'],
  [/^unknown field$|Unrecognized key/, () => '表单含有不支持的字段'],
];

/** A schema message as users read it: Chinese ones as written, zod's usual English ones translated, any other English replaced. Pure. */
export function chineseMessage(message: string): string {
  if (CJK.test(message)) return message;
  for (const [pattern, say] of translations) {
    const match = pattern.exec(message);
    if (match !== null) return say(match);
  }
  // zod's other English never reaches a page: it goes to the log with the request, not to the reader.
  return '格式不正确';
}

/**
 * Places the workflow's 422 issues (`path` relative to the payload) on the inputs of an event's form:
 * an evidence item's issue on the row it was typed in, a list item's on its list with the item's
 * number. Issues for no input of the form are general. Pure.
 */
export function formErrors(type: FormEventType, issues: readonly FieldIssue[], evidenceRows: readonly number[]): FormErrors {
  const fields = new Map((eventForms[type] as readonly FormField[]).map((f) => [f.name, f]));
  const byInput: Record<string, string[]> = {};
  const general: string[] = [];
  const add = (input: string, message: string) => (byInput[input] ??= []).push(message);
  for (const issue of issues) {
    const [name = '', index, sub] = issue.path.split('.');
    const field = fields.get(name);
    const message = chineseMessage(issue.message);
    if (field === undefined) {
      general.push(message);
    } else if (field.kind === 'evidence' && index !== undefined && sub !== undefined && /^\d+$/.test(index)) {
      add(`evidence.${evidenceRows[Number(index)] ?? Number(index)}.${sub}`, message);
    } else if (field.kind === 'judgements' && index !== undefined) {
      add(`${name}.${index}`, message);
    } else if (index !== undefined && /^\d+$/.test(index)) {
      add(name, `第${Number(index) + 1}项：${message}`);
    } else {
      add(name, message);
    }
  }
  return { byInput, general };
}
