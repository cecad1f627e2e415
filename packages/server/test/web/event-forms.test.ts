import { eventFieldLabels, reformTaskEventPayloads, reformTaskEventTypes, systemOnlyEvents } from '@duban/reform-task';
import { describe, expect, it } from 'vitest';
import { eventFormView } from '../../src/web/forms/event-form-view.ts';
import { eventForms, eventsWithoutForm, hasForm } from '../../src/web/forms/event-forms.ts';
import { chineseMessage, formErrors } from '../../src/web/forms/field-errors.ts';
import { payloadFromForm, splitLines } from '../../src/web/forms/form-payload.ts';
import { labelsAndControls } from './support/web-client.ts';

describe('the event forms', () => {
  it('have a form for every event a person sends, with exactly the fields of its payload schema (attachments as a file input, posted as multipart)', () => {
    for (const type of reformTaskEventTypes) {
      if (systemOnlyEvents.has(type) || eventsWithoutForm.has(type)) {
        expect(hasForm(type), type).toBe(false);
        continue;
      }
      expect(hasForm(type), type).toBe(true);
      const schemaFields = Object.keys(reformTaskEventPayloads[type].shape).sort();
      const formFields = (eventForms[type as keyof typeof eventForms] as readonly { name: string }[]).map((f) => f.name).sort();
      expect(formFields, type).toEqual(schemaFields);
      expect(eventFormView('t.1', 3, type as keyof typeof eventForms, 'csrf', 'key').text.includes('enctype="multipart/form-data"'), type).toBe(schemaFields.includes('attachments'));
    }
  });

  it('label every field with the workflow\'s Chinese label', () => {
    for (const type of Object.keys(eventForms) as (keyof typeof eventForms)[]) {
      const view = eventFormView('t.1', 3, type, 'csrf', 'form-key').text;
      for (const field of eventForms[type]) expect(view, `${type}.${field.name}`).toContain((eventFieldLabels[type] as Record<string, string>)[field.name]);
      const { labelled, controls } = labelsAndControls(view);
      for (const id of controls) expect(labelled, `${type}: no <label for="${id}">`).toContain(id);
      expect(view).toContain('name="_version" value="3"');
      expect(view).toContain('name="_csrf" value="csrf"');
    }
  });

  it('turn typed text into the payload: optional blanks omitted, required blanks sent to be refused, numbers and yes/no as JSON', () => {
    expect(payloadFromForm('PROGRESS', { summary: ' 进展 ', percent: '40' }).payload).toEqual({ summary: '进展', percent: 40 });
    expect(payloadFromForm('PROGRESS', { summary: '', percent: '' }).payload).toEqual({ summary: '' });
    expect(payloadFromForm('PROGRESS', { summary: 'x', percent: '四十' }).payload).toEqual({ summary: 'x', percent: '四十' });
    expect(payloadFromForm('CLOSE', { note: '', commend: 'true' }).payload).toEqual({ commend: true });
    expect(payloadFromForm('CLOSE', {}).payload).toEqual({});
    expect(payloadFromForm('DECIDE_EXTENSION', { approve: 'false', until: '' }).payload).toEqual({ approve: false });
    expect(payloadFromForm('DECIDE_EXTENSION', {}).payload).toEqual({});
    expect(payloadFromForm('REASSIGN', { leadUnits: '市水务局\r\n市林草局、 市发改委\n\n' }).payload).toEqual({ leadUnits: ['市水务局', '市林草局', '市发改委'] });
    // a field sent twice counts once, as a browser's single field would, and fields not on the form are dropped
    expect(payloadFromForm('REJECT', { reason: ['a', 'b'], extra: 'x' }).payload).toEqual({ failed: [], reason: 'b' });
    // 四个是否: each judgement's 是/否; one left unanswered is left out, for the schema to name it
    expect(payloadFromForm('VERIFY', { 'checks.policyUnderstood': 'true', 'checks.requirementsMet': 'false', 'checks.effectSignificant': 'true', opinion: '' }).payload).toEqual({
      checks: { policyUnderstood: true, requirementsMet: false, effectSignificant: true },
    });
    expect(payloadFromForm('REJECT', { failed: ['policyUnderstood', 'effectSignificant'], reason: '成效不明显' }).payload).toEqual({ failed: ['policyUnderstood', 'effectSignificant'], reason: '成效不明显' });
  });

  it('place the workflow\'s issues on the inputs they belong to', () => {
    const { evidenceRows } = payloadFromForm('REPORT', { summary: 's', 'evidence.0.title': '', 'evidence.0.ref': '', 'evidence.1.title': '', 'evidence.1.ref': 'r', 'evidence.2.title': 'ok' });
    expect(evidenceRows).toEqual([1, 2]);
    const errors = formErrors('REPORT', [{ path: 'evidence.0.title', message: 'Too small: expected string to have >=1 characters' }, { path: '', message: 'Unrecognized key: "x"' }], evidenceRows);
    expect(errors.byInput).toEqual({ 'evidence.1.title': ['不能为空'] });
    expect(errors.general).toEqual(['表单含有不支持的字段']);
    expect(formErrors('RECORD_INTERVIEW', [{ path: 'attendees.1', message: 'Too big: expected string to have <=100 characters' }], []).byInput).toEqual({ attendees: ['第2项：不能超过100个字'] });
  });

  it('say zod\'s usual messages in Chinese and keep Chinese ones', () => {
    expect(chineseMessage('Invalid input: expected number, received string')).toBe('须为数字');
    expect(chineseMessage('Too big: expected number to be <=100')).toBe('不能大于100');
    expect(chineseMessage('Invalid input: expected int, received number')).toBe('须为整数');
    expect(chineseMessage('Invalid input: expected boolean, received undefined')).toBe('请选择一项');
    expect(chineseMessage('Invalid input: expected string, received undefined')).toBe('此项必填');
    expect(chineseMessage('延期日期须晚于当前完成时限 2023-05-31')).toBe('延期日期须晚于当前完成时限 2023-05-31');
    // zod's other English never reaches a page
    expect(chineseMessage('something odd')).toBe('格式不正确');
  });

  it('split a typed list on lines and Chinese or Latin separators', () => {
    expect(splitLines('张三\n李四，王五;赵六, 钱七')).toEqual(['张三', '李四', '王五', '赵六', '钱七']);
  });
});
