import { PlanInputError } from '@duban/plan';
import type { Request, Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { readers } from '../../../auth/readers.ts';
import { actorOf } from '../../../auth/principal.ts';
import { HttpProblem } from '../../../http/http-problem.ts';
import { planIdOf } from '../../../plans/load-plan-file.ts';
import { planChoices } from '../../../plans/plan-choices.ts';
import { PlanImportRefused } from '../../../plans/plan-import-refused.ts';
import { receivePlanForm } from '../../forms/plan-form.ts';
import { ADD_UNIT, planImportPage } from '../../plans/plan-import-page.ts';
import type { PagePreview, PlanImportPageOptions } from '../../plans/plan-import-page.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import type { Notice } from '../../view/layout.ts';

/** The path of the page: its form posts multipart here (forms/form-body.ts lets it through unread). */
export const PLAN_IMPORT_PATH = '/plans/import';

const chinese = (message: string) => message.split(' / ')[0] ?? message;

/**
 * 导入计划 (office, admin): `GET /plans/import` (the plans, an upload form); `POST /plans/import`
 * (multipart; origin and anti-forgery token checked): `step=preview` reads the file and shows its
 * preview; `step=import` imports the previewed file (posted back, nothing kept between the two) with
 * the plan id, title, year and each unknown unit's choice. A refusal shows the page again with each
 * message beside its field and changes nothing; success goes back to the page with a notice.
 */
export const planImportRoutes: RouteModule = (deps) => (router) => {
  const { planRecords, planImports, clock, units } = deps;
  const registry = units.units.filter((unit) => unit.kind !== 'collective').map((unit) => unit.name);

  const page = async (res: Response, status: number, options: Omit<PlanImportPageOptions, 'viewer' | 'plans' | 'registry'>) => {
    res.status(status).type('html').send(planImportPage({ viewer: signedIn(res), plans: await planRecords.list(), registry, ...options }).text);
  };

  router.get(PLAN_IMPORT_PATH, requireViewer(readers.planImport), async (req, res) => {
    const imported = typeof req.query['imported'] === 'string' ? (await planRecords.list()).find((plan) => plan.id === req.query['imported']) : undefined;
    const notices: Notice[] = imported === undefined ? [] : [{ kind: 'success', text: `已导入计划“${imported.title}”（${imported.id}），共 ${imported.tasks} 项任务。` }];
    await page(res, 200, { notices });
  });

  router.post(PLAN_IMPORT_PATH, requireViewer(readers.planImport), async (req: Request, res: Response) => {
    const viewer = signedIn(res);
    const form = await receivePlanForm(req, planImports.maxBytes, viewer.csrf, 'import');
    if (form.refused !== undefined) {
      await page(res, form.refused.status, { errors: { file: form.refused.message } });
      return;
    }
    const { fields, source } = form;
    if (source === undefined) {
      await page(res, 422, { errors: { file: '请选择计划文件' } });
      return;
    }
    let preview: PagePreview;
    try {
      const read = await planImports.preview(source, clock.now());
      preview = { plan: read.plan, unknownUnits: read.unknownUnits, pastDeadlines: read.pastDeadlines, fileName: source.fileName, source: Buffer.from(source.bytes).toString('base64') };
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error;
      await page(res, 422, { errors: { file: chinese(error.message) } });
      return;
    }
    if (fields['step'] !== 'import') {
      await page(res, 200, { preview, typed: { planId: planIdOf(source.fileName) } });
      return;
    }

    // The unknown units as the page listed them (unknown_N) and the choice made for each (map_N).
    const indexOf = new Map(preview.unknownUnits.map((unit, index) => [unit.name, index]));
    const errors: Record<string, string> = {};
    const unitMappings: Record<string, string> = {};
    let addUnknownUnits = false;
    preview.unknownUnits.forEach((unit, index) => {
      const choice = fields[`map_${index}`] ?? '';
      if (fields[`unknown_${index}`] !== unit.name || choice === '') errors[`map_${index}`] = `请为“${unit.name}”选择对应的已有单位，或选择“新增为单位”`;
      else if (choice === ADD_UNIT) addUnknownUnits = true;
      else unitMappings[unit.name] = choice;
    });
    const typed = Object.fromEntries(Object.entries(fields).filter(([name]) => ['planId', 'title', 'year'].includes(name) || name.startsWith('map_')));
    if (Object.keys(errors).length > 0) {
      await page(res, 422, { preview, typed, errors });
      return;
    }
    try {
      const choices = planChoices({ planId: fields['planId'] ?? '', title: fields['title'] ?? '', year: fields['year'] ?? '', unitMappings, addUnknownUnits });
      const imported = await planImports.import(source, choices, actorOf(viewer.principal), clock.now());
      res.redirect(303, `${PLAN_IMPORT_PATH}?imported=${encodeURIComponent(imported.planId)}`);
    } catch (error) {
      if (error instanceof PlanImportRefused) {
        for (const issue of error.issues) errors[fieldOf(issue.path, indexOf)] = issue.message;
        await page(res, error.reason === 'plan-exists' ? 409 : 422, { preview, typed, errors });
        return;
      }
      if (error instanceof HttpProblem && error.status < 500) {
        await page(res, error.status, { preview, typed, errors: { units: error.title } });
        return;
      }
      throw error;
    }
  });
};

/** The page's field an issue of the importer names (`planId`, `unitMappings.X` / `unknownUnits.X` → `map_N`). */
function fieldOf(path: string, indexOf: ReadonlyMap<string, number>): string {
  const unit = /^(?:unitMappings|unknownUnits)\.(.+)$/.exec(path)?.[1];
  if (unit !== undefined && indexOf.has(unit)) return `map_${indexOf.get(unit)}`;
  return ['planId', 'title', 'year'].includes(path) ? path : 'units';
}

