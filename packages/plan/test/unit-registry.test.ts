import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repositoryUnits } from '../src/repository-units.ts';
import { parsePlan } from '../src/parse-plan.ts';
import { PlanInputError } from '../src/plan-input-error.ts';
import { loadUnitRegistry, UnitRegistry } from '../src/unit-registry.ts';
import { readDataFile } from './read-fixture.ts';

const DISTRICTS = ['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'];

describe('the Karamay unit registry (data/units.json)', () => {
  it('given an alias, when made canonical, then the registered name comes back', () => {
    expect(repositoryUnits.canonical('市住房公积金中心')).toBe('市住房公积金管理中心');
    expect(repositoryUnits.canonical('市住房公积金管理中心')).toBe('市住房公积金管理中心');
    expect(repositoryUnits.get('市住房公积金中心')).toEqual({
      name: '市住房公积金管理中心', kind: 'city-department', aliases: ['市住房公积金中心'],
    });
  });

  it('given an unknown name, when made canonical, then it is kept as written', () => {
    expect(repositoryUnits.canonical('市不存在局')).toBe('市不存在局');
    expect(repositoryUnits.get('市不存在局')).toBeUndefined();
    expect(repositoryUnits.membersOf('市不存在局')).toEqual([]);
  });

  it('given 各区人民政府, then it is a collective of the four district governments, each registered', () => {
    expect(repositoryUnits.get('各区人民政府')?.kind).toBe('collective');
    expect(repositoryUnits.membersOf('各区人民政府')).toEqual(DISTRICTS);
    for (const district of DISTRICTS) expect(repositoryUnits.get(district)?.kind).toBe('district-government');
  });

  it('given the other collectives, then they are kept as written, without members', () => {
    for (const name of ['市级各有关部门', '市级各有关单位', '市政府各有关部门', '市“工改”领导小组各成员单位',
      '市打击侵权假冒领导小组各成员单位', '数字克拉玛依领导小组各成员单位', '12345热线各成员单位']) {
      expect(repositoryUnits.get(name)).toMatchObject({ name, kind: 'collective' });
      expect(repositoryUnits.membersOf(name)).toEqual([]);
    }
  });

  it('given vertically administered units, then they are external', () => {
    for (const name of ['中国人民银行克拉玛依市中心支行', '克拉玛依银保监分局', '市税务局']) {
      expect(repositoryUnits.get(name)?.kind).toBe('external');
    }
  });

  it('given other punctuation widths or traditional characters, when looked up, then the unit is found', () => {
    expect(repositoryUnits.canonical('市財政局')).toBe('市财政局');
    expect(repositoryUnits.canonical('各區人民政府')).toBe('各区人民政府');
  });

  it('given the parsed plan, then every unit it names (leads, responsible, issuer) is registered under its canonical name', () => {
    const plan = parsePlan(readDataFile('plans/karamay-2023-fangguanfu.md'), { units: repositoryUnits });
    const named = new Set(plan.tasks.flatMap((task) => [...task.leadUnits, ...task.responsibleUnits]));
    expect(named.size).toBeGreaterThan(30);
    for (const name of [...named, plan.issuer ?? '']) {
      expect(repositoryUnits.get(name)?.name, name).toBe(name);
    }
  });

  it('given the units file, then every name and alias is unique and every record has a known kind', () => {
    const file = JSON.parse(readFileSync(new URL('../../../data/units.json', import.meta.url), 'utf8')) as { units: Array<{ name: string; aliases: string[] }> };
    const names = file.units.flatMap((unit) => [unit.name, ...unit.aliases]);
    expect(new Set(names).size).toBe(names.length);
    expect(() => loadUnitRegistry(file)).not.toThrow();
  });
});

describe('loadUnitRegistry', () => {
  it('given contents of the wrong shape, then it throws a PlanInputError naming where', () => {
    expect(() => loadUnitRegistry({ units: [{ name: '市发改委', kind: 'ministry', aliases: [] }] })).toThrow(PlanInputError);
    expect(() => loadUnitRegistry({ units: [{ name: '市发改委', kind: 'ministry', aliases: [] }] })).toThrow(/units\.0\.kind/);
    expect(() => loadUnitRegistry('not json')).toThrow(PlanInputError);
  });

  it('given a name listed twice, then it throws a PlanInputError', () => {
    const twice = { units: [
      { name: '市发改委', kind: 'city-department', aliases: [] },
      { name: '市发展改革委', kind: 'city-department', aliases: ['市发改委'] },
    ] };
    expect(() => loadUnitRegistry(twice)).toThrow(/listed twice/);
  });

  it('given a collective whose member is not listed, then it throws a PlanInputError', () => {
    const missing = { units: [{ name: '各区人民政府', kind: 'collective', aliases: [], members: ['某区人民政府'] }] };
    expect(() => loadUnitRegistry(missing)).toThrow(/某区人民政府/);
  });

  it('given a registry, when a plan is parsed with it, then its aliases are resolved and nothing else is', () => {
    const registry = new UnitRegistry([{ name: '市发展和改革委员会', kind: 'city-department', aliases: ['市发改委'] }]);
    const plan = parsePlan('1. 任务。\n牵头单位：市发改委\n责任单位：市住房公积金中心', { units: registry });
    expect(plan.tasks[0]?.leadUnits).toEqual(['市发展和改革委员会']);
    expect(plan.tasks[0]?.responsibleUnits).toEqual(['市住房公积金中心']);
  });
});
