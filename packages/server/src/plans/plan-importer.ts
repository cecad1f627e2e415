import { createHash } from 'node:crypto';
import type { Actor, Engine } from '@duban/engine';
import { DEFAULT_PLAN_MAX_BYTES, readPlanDocument } from '@duban/plan';
import type { Plan, PlanFileKind, PlanWarning, UnitRegistry, UnknownUnit } from '@duban/plan';
import { endOfDayShanghai } from '@duban/reform-task';
import { importPlan } from './import-plan.ts';
import type { SkippedTask } from './import-plan.ts';
import { PlanImportRefused } from './plan-import-refused.ts';
import type { PlanRecord, PlanRecords } from './plan-records.ts';
import { DEFAULT_PLAN_SETTINGS } from './plan-records.ts';
import { UnitError } from '../units/unit-error.ts';
import type { UnitSettler } from './unit-settler.ts';

/** A plan as it arrives: a file's bytes and the name the person gave it (.docx, .xlsx, .md/.txt, .json). */
export interface PlanSource {
  readonly bytes: Uint8Array;
  readonly fileName: string;
}

/** What an import would do, before anything is stored. */
export interface PlanPreview {
  readonly plan: Plan;
  readonly format: PlanFileKind;
  /** Unit names the registry does not know, each with the lines (of the file) that name it. */
  readonly unknownUnits: UnknownUnit[];
  readonly warnings: PlanWarning[];
  /** Tasks whose deadline has passed at `at` (a late import). */
  readonly pastDeadlines: number;
  readonly source: { readonly name: string; readonly sha256: string };
}

/** What the person chose on the preview. */
export interface PlanImportChoices {
  readonly planId: string;
  readonly title?: string | undefined;
  readonly year?: number | undefined;
  readonly issuer?: string | undefined;
  /** `{ unknown name: registry unit }`: the plan's names are rewritten before the import. */
  readonly unitMappings?: Readonly<Record<string, string>> | undefined;
  /** Add every unknown unit not mapped to the registry (through the UnitSettler). */
  readonly addUnknownUnits?: boolean | undefined;
  /** Count a deadline already past at the import from the import (default), or from its date. */
  readonly lateFromImport?: boolean | undefined;
  readonly warningLeadDays?: number | undefined;
  readonly escalateAfterDays?: number | undefined;
}

/** The outcome of an import: the plan's id, the tasks created, those left out (no lead unit). */
export interface PlanImported {
  readonly planId: string;
  readonly created: string[];
  readonly skipped: SkippedTask[];
  readonly pastDeadlines: number;
}

/** A plan id: what prefixes every task id of the plan. */
export const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/**
 * Plans in: preview a file (nothing stored), import it as a plan record and one task per plan task,
 * the units settled first. The import is all or nothing: the plan id is claimed, the tasks created in
 * one engine transaction (one audit entry each), and the claim released if that fails. Refusals are
 * PlanInputError (the file) and PlanImportRefused (the choices). Does IO.
 */
/** Where the import reads the unit registry: the server's UnitDirectory, refreshed after a settlement. */
export interface UnitRegistrySource {
  readonly registry: UnitRegistry;
  refresh(force?: boolean): Promise<void>;
}

export class PlanImporter {
  constructor(
    private readonly engine: Engine,
    private readonly records: PlanRecords,
    private readonly directory: UnitRegistrySource,
    private readonly settler: UnitSettler,
    /** The largest plan file accepted (20 MB by default). */
    readonly maxBytes: number = DEFAULT_PLAN_MAX_BYTES,
  ) {}

  /** The registry as it stands now (another server, or the admin, may have changed it since start). */
  private get units(): UnitRegistry {
    return this.directory.registry;
  }

  /** Reads the file and says what importing it would do at `at`. Throws PlanInputError for a file that cannot be used. */
  async preview(source: PlanSource, at: Date): Promise<PlanPreview> {
    await this.directory.refresh();
    const document = await readPlanDocument({ bytes: source.bytes, fileName: source.fileName, units: this.units, maxBytes: this.maxBytes });
    const plan = document.plan;
    return {
      plan,
      format: document.format,
      unknownUnits: this.unknownUnits(plan, document.unknownUnits),
      warnings: plan.warnings,
      pastDeadlines: plan.tasks.filter((task) => task.deadline.date !== null && endOfDayShanghai(task.deadline.date) < at.getTime()).length,
      source: { name: source.fileName, sha256: createHash('sha256').update(source.bytes).digest('hex') },
    };
  }

  /** Imports the file as plan `choices.planId` at `at` by `actor`, or refuses it having written nothing. */
  async import(source: PlanSource, choices: PlanImportChoices, actor: Actor, at: Date): Promise<PlanImported> {
    const preview = await this.preview(source, at);
    const planId = choices.planId;
    if (!PLAN_ID.test(planId)) {
      throw new PlanImportRefused('invalid', `plan id ${JSON.stringify(planId)} is not 1–80 letters, digits, '.', '_' or '-'`, [
        { path: 'planId', message: '计划编号须为1至80个英文字母、数字或“.”“_”“-”，以字母或数字开头' },
      ]);
    }
    if (await this.records.exists(planId)) {
      throw new PlanImportRefused('plan-exists', `plan ${planId} exists already`, [{ path: 'planId', message: `计划编号“${planId}”已存在，请换一个编号` }]);
    }
    const mappings = choices.unitMappings ?? {};
    const unknown = new Set(preview.unknownUnits.map((u) => u.name));
    const badMappings = Object.entries(mappings).flatMap(([from, to]) => {
      if (!unknown.has(from)) return [{ path: `unitMappings.${from}`, message: `“${from}”不是本计划中的未知单位` }];
      if (!this.units.has(to)) return [{ path: `unitMappings.${from}`, message: `“${to}”不在单位名录中` }];
      return [];
    });
    if (badMappings.length > 0) throw new PlanImportRefused('invalid', `unitMappings name units that are not unknown here or map to no registry unit`, badMappings);
    const unmapped = preview.unknownUnits.filter((u) => !Object.hasOwn(mappings, u.name));
    if (unmapped.length > 0 && choices.addUnknownUnits !== true) {
      throw new PlanImportRefused(
        'unknown-units',
        `units not in the registry: ${unmapped.map((u) => u.name).join(', ')}; map each to a unit (unitMappings) or add them (addUnknownUnits)`,
        unmapped.map((u) => ({ path: `unknownUnits.${u.name}`, message: `单位“${u.name}”不在单位名录中${u.lines.length > 0 ? `（第${u.lines.join('、')}行）` : ''}`, lines: u.lines })),
      );
    }
    const aliases = Object.fromEntries(Object.entries(mappings).map(([from, to]) => [from, this.units.canonical(to)]));
    const plan = renameUnits(preview.plan, aliases);
    const record: PlanRecord = {
      id: planId,
      title: nonEmpty(choices.title) ?? nonEmpty(plan.title) ?? planId,
      year: choices.year ?? plan.year,
      issuer: nonEmpty(choices.issuer) ?? plan.issuer,
      importedAt: at.toISOString(),
      importedBy: importerName(actor),
      warningLeadDays: choices.warningLeadDays ?? DEFAULT_PLAN_SETTINGS.warningLeadDays,
      escalateAfterDays: choices.escalateAfterDays ?? DEFAULT_PLAN_SETTINGS.escalateAfterDays,
      lateFromImport: choices.lateFromImport ?? true,
      sourceName: preview.source.name,
      sourceSha256: preview.source.sha256,
      active: true,
    };
    if (unmapped.length > 0 || Object.keys(aliases).length > 0) {
      try {
        await this.settler.settle(unmapped.map((u) => u.name), aliases, actor, at);
      } catch (error) {
        // The registry refused a name (say, one another import has just added as an alias): nothing was written.
        if (error instanceof UnitError) throw new PlanImportRefused('invalid', `the unit registry refused the settlement: ${error.message}`, [{ path: 'units', message: error.message }]);
        throw error;
      }
      await this.directory.refresh(true);
    }
    if (!(await this.records.add(record))) {
      throw new PlanImportRefused('plan-exists', `plan ${planId} exists already`, [{ path: 'planId', message: `计划编号“${planId}”已存在，请换一个编号` }]);
    }
    try {
      const imported = await importPlan(this.engine, plan, planId, at, { ...settingsOf(record), units: this.units, actor });
      return { planId, created: imported.created, skipped: imported.skipped, pastDeadlines: preview.pastDeadlines };
    } catch (error) {
      await this.records.remove(planId);
      throw error;
    }
  }

  /**
   * `serve --plan`: imports the plan under its id unless it is there already (then its tasks are
   * checked against it: the same content is left alone, other content is InstanceConflict). Unknown
   * units are allowed here, as they always were at start. Does IO.
   */
  async ensure(plan: Plan, planId: string, at: Date, source: { readonly name: string; readonly sha256: string } | undefined): Promise<{ created: string[]; existing: string[]; skipped: SkippedTask[] }> {
    let record = await this.records.get(planId);
    if (record === undefined && !(await this.records.exists(planId))) {
      const fresh: PlanRecord = {
        id: planId,
        title: nonEmpty(plan.title) ?? planId,
        year: plan.year,
        issuer: plan.issuer,
        importedAt: at.toISOString(),
        importedBy: 'admin',
        ...DEFAULT_PLAN_SETTINGS,
        lateFromImport: true,
        sourceName: source?.name ?? null,
        sourceSha256: source?.sha256 ?? null,
        active: true,
      };
      if (await this.records.add(fresh)) record = fresh;
      else record = await this.records.get(planId);
    }
    // Another server may have claimed the plan between the two reads above (its record committed after
    // `get`, its tasks before `exists`): read its record, or this import would lack its settings (graceFrom)
    // and differ from the tasks it created.
    record ??= await this.records.get(planId);
    const settings = record === undefined ? {} : settingsOf(record);
    const importedAt = record === undefined ? at : new Date(record.importedAt);
    try {
      return await importPlan(this.engine, plan, planId, importedAt, { ...settings, units: this.units });
    } catch (error) {
      if (record !== undefined && record.importedAt === at.toISOString()) await this.records.remove(planId);
      throw error;
    }
  }

  private unknownUnits(plan: Plan, found: readonly UnknownUnit[]): UnknownUnit[] {
    const byName = new Map(found.map((u) => [u.name, { name: u.name, lines: [...u.lines] }]));
    for (const task of plan.tasks) {
      for (const name of [...task.leadUnits, ...task.responsibleUnits]) {
        if (!this.units.has(name) && !byName.has(name)) byName.set(name, { name, lines: [] });
      }
    }
    return [...byName.values()];
  }
}

function settingsOf(record: PlanRecord): { warningLeadDays: number; escalateAfterDays: number; graceFrom?: number } {
  return {
    warningLeadDays: record.warningLeadDays,
    escalateAfterDays: record.escalateAfterDays,
    ...(record.lateFromImport && record.importedAt !== '' ? { graceFrom: Date.parse(record.importedAt) } : {}),
  };
}

/** The plan with each unit name in `renames` replaced (and a name named twice by then kept once). Pure. */
function renameUnits(plan: Plan, renames: Readonly<Record<string, string>>): Plan {
  if (Object.keys(renames).length === 0) return plan;
  const rename = (names: readonly string[]) => [...new Set(names.map((name) => (Object.hasOwn(renames, name) ? renames[name]! : name)))];
  return { ...plan, tasks: plan.tasks.map((task) => ({ ...task, leadUnits: rename(task.leadUnits), responsibleUnits: rename(task.responsibleUnits) })) };
}

function nonEmpty(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function importerName(actor: Actor): string {
  return actor.account === undefined ? actor.role : `${actor.role}:${actor.account.name}`;
}
