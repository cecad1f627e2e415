import type { Request, Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { PAGE_NOT_FOUND } from '../../../http/problems.ts';
import { unitFormField } from '../../../units/unit-change-rules.ts';
import { UnitError } from '../../../units/unit-error.ts';
import type { UnitEdit } from '../../../units/unit-store.ts';
import { formOf } from '../../forms/form-body.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import { adminUnitsPage } from '../../units/admin-units-page.ts';
import type { UnitFormFailure } from '../../units/admin-units-page.ts';
import type { Notice } from '../../view/layout.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
/** A textarea of names: one a line (or separated by 、，; ,), blanks dropped. */
const names = (value: string) => value.split(/[\n\r、，,；;]+/).map((name) => name.trim()).filter((name) => name !== '');

/**
 * 单位管理, for admins only: `GET /admin/units`; `POST /admin/units` (`name`, `kind`, `aliases`,
 * `members`), `POST /admin/units/:name/kind` (`kind`), `…/aliases` (`alias`), `…/aliases/remove`
 * (`alias`), `…/members` (`members`, one a line). Every post checks the origin and the session's
 * anti-forgery token (requireViewer); each change is one audit entry naming the admin; a refusal
 * shows the page again (404, 409 or 422) with the message beside the field and changes nothing.
 */
export const adminUnitRoutes: RouteModule = (deps) => (router) => {
  const { unitStore, clock } = deps;
  const admin = requireViewer(readers.organisation);

  const page = async (res: Response, status: number, notices: readonly Notice[] = [], failure?: UnitFormFailure) => {
    res
      .status(status)
      .type('html')
      .send(adminUnitsPage({ viewer: signedIn(res), units: await unitStore.list(), notices, ...(failure === undefined ? {} : { failure }) }).text);
  };

  /** Runs an admin's change; a UnitError shows the page again with its message beside the field. */
  const change = (form: (req: Request) => string, work: (req: Request, res: Response) => Promise<string>) => async (req: Request, res: Response) => {
    try {
      await page(res, 200, [{ kind: 'success', text: await work(req, res) }]);
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      const typed = Object.fromEntries(Object.entries(formOf(req.body)).filter(([key]) => key !== '_csrf').map(([key, value]) => [key, text(value)]));
      const status = error.refusal === 'duplicate' ? 409 : error.refusal === 'unknown' && error.field === 'name' ? 404 : 422;
      await page(res, status, [{ kind: 'error', text: '未保存：请按提示修改后重试。' }], { form: form(req), field: unitFormField(error.field).replace(/^addAliases/, req.path === '/admin/units' ? 'aliases' : 'addAliases'), message: error.message, typed });
    }
  };

  const unitName = async (req: Request): Promise<string> => {
    const name = String(req.params['name']);
    await deps.units.refresh(true);
    const unit = deps.units.get(name);
    if (unit === undefined) throw PAGE_NOT_FOUND;
    return unit.name;
  };
  const edit = async (req: Request, res: Response, what: UnitEdit) => (await unitStore.edit(await unitName(req), what, actorOf(signedIn(res).principal), clock.now())).name;

  router.get('/admin/units', admin, (_req, res) => page(res, 200));

  router.post(
    '/admin/units',
    admin,
    change(
      () => 'add',
      async (req, res) => {
        const form = formOf(req.body);
        const added = await unitStore.add(
          { name: text(form['name']), kind: text(form['kind']), aliases: names(text(form['aliases'])), members: names(text(form['members'])) },
          actorOf(signedIn(res).principal),
          clock.now(),
        );
        return `已新增单位“${added.name}”。`;
      },
    ),
  );

  const form = (kind: string) => (req: Request) => `${kind}:${String(req.params['name'])}`;
  router.post('/admin/units/:name/kind', admin, change(form('kind'), async (req, res) => `已保存“${await edit(req, res, { kind: text(formOf(req.body)['kind']) })}”的类别。`));
  router.post('/admin/units/:name/aliases', admin, change(form('alias'), async (req, res) => `已为“${await edit(req, res, { addAliases: [text(formOf(req.body)['alias'])] })}”添加别名。`));
  router.post('/admin/units/:name/aliases/remove', admin, change(form('remove'), async (req, res) => `已删除“${await edit(req, res, { removeAliases: [text(formOf(req.body)['alias'])] })}”的别名。`));
  router.post('/admin/units/:name/members', admin, change(form('members'), async (req, res) => `已保存“${await edit(req, res, { members: names(text(formOf(req.body)['members'])) })}”的成员单位。`));
};
