import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuban } from '../../src/app/open-duban.ts';
import { reopenableDatabase } from '../support/test-server.ts';

function unitsFile(units: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'duban-units-')), 'units.json');
  writeFileSync(file, JSON.stringify(units));
  return file;
}

const ours = { units: [{ name: '甲市财政局', kind: 'city-department', aliases: ['甲市财政'] }, { name: '甲县政府', kind: 'district-government', aliases: [] }, { name: '各县政府', kind: 'collective', aliases: [], members: ['甲县政府'] }] };
const theirs = { units: [{ name: '乙市财政局', kind: 'city-department', aliases: [] }] };

describe('the unit registry seeded from a units file', () => {
  it('given a new database and a units file of its own, when it is opened, then the registry is that file; opened again with another file, it is not seeded again', async () => {
    const db = await reopenableDatabase();
    const first = await openDuban(db, { create: true, unitsFile: unitsFile(ours) });
    expect(first.units.units.map((unit) => unit.name)).toEqual(['甲市财政局', '甲县政府', '各县政府']);
    expect(first.units.canonical('甲市财政')).toBe('甲市财政局');
    expect(first.units.membersOf('各县政府')).toEqual(['甲县政府']);
    expect(first.units.has('市发改委')).toBe(false);
    await first.close();

    const again = await openDuban(db, { create: false, unitsFile: unitsFile(theirs) });
    expect(again.units.units.map((unit) => unit.name)).toEqual(['甲市财政局', '甲县政府', '各县政府']);
    // Nor is a units file read at all once the registry has units: a missing one is no error.
    await again.close();
    const missing = await openDuban(db, { create: false, unitsFile: join(tmpdir(), 'no-such-units.json') });
    expect(missing.units.has('乙市财政局')).toBe(false);
    await missing.close();
  });

  it.each([
    ['a file that is not there', () => join(tmpdir(), 'no-such-units.json'), /cannot read the units file/],
    ['a file that is not JSON', () => { const file = unitsFile({}); writeFileSync(file, '{ units: '); return file; }, /is not JSON/],
    ['a member no unit of the file has', () => unitsFile({ units: [{ name: '各县政府', kind: 'collective', aliases: [], members: ['丙县政府'] }] }), /member "丙县政府"/],
  ])('given %s, when a new database is seeded from it, then opening fails naming the file’s problem', async (_what, file, message) => {
    await expect(openDuban(await reopenableDatabase(), { create: true, unitsFile: file() })).rejects.toThrow(message);
  });
});
