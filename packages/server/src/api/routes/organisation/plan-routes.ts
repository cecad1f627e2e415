import type { RouteModule } from '../../../app/app-deps.ts';
import { actorOf, principalOf } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { problem } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { planChoices } from '../../../plans/plan-choices.ts';
import { receivePlanSource } from '../../../plans/receive-plan-source.ts';
import type { ReceivedPlan } from '../../../plans/receive-plan-source.ts';
import { noQuery } from '../../schemas.ts';

const needsFile = () =>
  problem('invalidRequest', 'no plan: send a multipart part named "file" or a Plan JSON body', { extensions: { errors: [{ path: 'file', message: '请选择计划文件' }] } });

/**
 * Plans: `GET /plans` lists them (every role: titles name no task); `POST /plans/preview` reads a
 * plan file or Plan JSON and says what an import would do, storing nothing; `POST /plans` imports it
 * (201; 409 for an id taken; 422 for unknown units without a mapping). Office and admin import.
 * Mounted before the JSON body parser: the upload is multipart, or Plan JSON larger than 64 KiB.
 */
export const planRoutes: RouteModule = ({ planRecords, planImports, clock }) => (router) => {
  const receive = async (req: Parameters<typeof receivePlanSource>[0]): Promise<ReceivedPlan & { source: NonNullable<ReceivedPlan['source']> }> => {
    const received = await receivePlanSource(req, planImports.maxBytes);
    if (received.source === undefined) throw needsFile();
    return received as ReceivedPlan & { source: NonNullable<ReceivedPlan['source']> };
  };

  router.get('/plans', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const plans = await planRecords.list();
    res.json({
      items: plans.map((plan) => ({
        id: plan.id,
        title: plan.title,
        year: plan.year,
        issuer: plan.issuer,
        tasks: plan.tasks,
        active: plan.active,
        importedAt: plan.importedAt === '' ? null : plan.importedAt,
        importedBy: plan.importedBy,
        settings: { warningLeadDays: plan.warningLeadDays, escalateAfterDays: plan.escalateAfterDays, lateFromImport: plan.lateFromImport },
        source: plan.sourceName === null ? null : { name: plan.sourceName, sha256: plan.sourceSha256 },
      })),
    });
  });

  router.post('/plans/preview', requireRole(readers.planImport, 'import plans'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const { source } = await receive(req);
    const preview = await planImports.preview(source, clock.now());
    res.json({ plan: preview.plan, unknownUnits: preview.unknownUnits, warnings: preview.warnings, pastDeadlines: preview.pastDeadlines, format: preview.format, source: preview.source });
  });

  router.post('/plans', requireRole(readers.planImport, 'import plans'), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const { source, fields } = await receive(req);
    const choices = planChoices(fields);
    const imported = await planImports.import(source, choices, actorOf(principalOf(res)), clock.now());
    res.status(201).location(`/api/tasks?plan=${encodeURIComponent(imported.planId)}`).json({
      planId: imported.planId,
      created: imported.created.length,
      skipped: imported.skipped,
      pastDeadlines: imported.pastDeadlines,
    });
  });
};
