import { WorkflowRegistry } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import { reformTaskV1 } from '../src/index.ts';

describe('registration', () => {
  test('given the reform-task workflow, then the engine registers it: its actions are all assign, it invokes nothing and delays nothing', () => {
    expect(new WorkflowRegistry([reformTaskV1]).get('reform-task', 1)).toBe(reformTaskV1);
  });
});
