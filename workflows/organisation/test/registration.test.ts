import { WorkflowRegistry, start, step } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import { ORGANISATION_ID, organisationV1 } from '../src/index.ts';

const admin = { role: 'admin', unit: null };
const change = { addUnits: [{ name: '市数据局', kind: 'city-department' }] };

describe('the organisation workflow', () => {
  test('given the organisation workflow, then the engine registers it: assign-only, nothing invoked or delayed', () => {
    expect(new WorkflowRegistry([organisationV1]).get('organisation', 1)).toBe(organisationV1);
  });

  test('given its one instance, when an admin records a change, then it is accepted and counted; the office may record a change to the units but not to an account; a unit may record nothing', () => {
    const started = start(organisationV1, ORGANISATION_ID, {}, admin, 0);
    if (!started.ok) throw started.error;
    const at = { instanceId: ORGANISATION_ID, version: 1, snapshot: started.step.snapshot };
    const byAdmin = step(organisationV1, at, 'CHANGE_UNITS', change, admin, 1);
    expect(byAdmin.ok && byAdmin.step.snapshot.context).toEqual({ changes: 1 });
    expect(step(organisationV1, at, 'CHANGE_UNITS', change, { role: 'office', unit: null }, 1).ok).toBe(true);
    const account = { account: { id: 1, login: 'zhang', displayName: '张三', role: 'unit-staff', unit: '市水务局' } };
    expect(step(organisationV1, at, 'DISABLE_ACCOUNT', account, admin, 1).ok).toBe(true);
    expect(step(organisationV1, at, 'DISABLE_ACCOUNT', account, { role: 'office', unit: null }, 1).ok).toBe(false);
    expect(step(organisationV1, at, 'CHANGE_UNITS', change, { role: 'unit', unit: '市水务局' }, 1).ok).toBe(false);
  });

  test('given a change that changes nothing or carries an unknown field, then its payload is refused', () => {
    const started = start(organisationV1, ORGANISATION_ID, {}, admin, 0);
    if (!started.ok) throw started.error;
    const at = { instanceId: ORGANISATION_ID, version: 1, snapshot: started.step.snapshot };
    expect(step(organisationV1, at, 'CHANGE_UNITS', {}, admin, 1).ok).toBe(false);
    expect(step(organisationV1, at, 'CHANGE_UNITS', { ...change, rename: [] }, admin, 1).ok).toBe(false);
  });

  test('given any snapshot, then nobody sees it as a task and it arms no timer and carries no tag', () => {
    const started = start(organisationV1, ORGANISATION_ID, {}, admin, 0);
    if (!started.ok) throw started.error;
    const snapshot = started.step.snapshot as Parameters<typeof organisationV1.timers>[0];
    expect(snapshot.context).toEqual({ changes: 0 });
    expect(organisationV1.visibleTo(admin, snapshot)).toBe(false);
    expect(organisationV1.timers(snapshot)).toEqual([]);
    expect(organisationV1.tags(snapshot)).toEqual([]);
  });
});
