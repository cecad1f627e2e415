import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { unitRefused } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { unitFormField } from '../../../units/unit-change-rules.ts';
import { UnitError } from '../../../units/unit-error.ts';
import { noQuery, unitAddBody, unitEditBody } from '../../schemas.ts';

/**
 * The unit registry: `GET /units` (any signed-in caller) → `{ items: [{ name, kind, aliases, members }] }`;
 * admins only: `POST /units` (one unit, with its aliases and members) → 201 the unit, and
 * `PATCH /units/:name` (the name or an alias; `kind`, `addAliases`, `removeAliases`, `members`) → 200
 * the unit. Each change is one audit entry with the acting person; a refusal (404 unknown unit, 409 a
 * name taken, 422 anything else, in Chinese) changes nothing.
 */
export const unitRoutes: RouteModule = ({ unitStore, clock }) => (router) => {
  const admin = requireRole(readers.organisation, 'change the unit registry');
  const refused = (error: unknown, rename: (field: string) => string = (field) => field) => {
    if (error instanceof UnitError) return unitRefused(error, rename(unitFormField(error.field)));
    return error;
  };

  router.get('/units', requireRole(readers.units, 'read the unit registry'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    res.json({ items: await unitStore.list() });
  });

  router.post('/units', admin, async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const body = validateInput(unitAddBody, req.body, 'body');
    try {
      const unit = await unitStore.add(body, actorOf(principalOf(res)), clock.now());
      res.status(201).json(unit);
    } catch (error) {
      throw refused(error, (field) => field.replace(/^addAliases/, 'aliases'));
    }
  });

  router.patch('/units/:name', admin, async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const body = validateInput(unitEditBody, req.body, 'body');
    try {
      res.json(await unitStore.edit(String(req.params['name']), body, actorOf(principalOf(res)), clock.now()));
    } catch (error) {
      throw refused(error);
    }
  });
};
