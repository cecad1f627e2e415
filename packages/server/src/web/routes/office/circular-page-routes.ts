import { z } from 'zod';
import type { RouteModule } from '../../../app/app-deps.ts';
import { callerKey } from '../../../auth/principal.ts';
import type { Principal } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { attachmentDisposition } from '../../../http/content-disposition.ts';
import { heavyRead } from '../../../http/heavy-reads.ts';
import { PAGE_NOT_FOUND, problem } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { circularHtml } from '../../../reports/index.ts';
import { circularDocx } from '../../../reports/circular/circular-docx.ts';
import type { IssuedCircular } from '../../../reports/circular/circular-register.ts';
import { CircularKeyReused } from '../../../reports/circular/circular-register.ts';
import { issueCircular, membersOf } from '../../../reports/circular/issue-circular.ts';
import { reportPeriod } from '../../../time/as-of.ts';
import { issuedCircularPage, issuedCircularsPage } from '../../circulars/issued-circulars-page.ts';
import { formOf } from '../../forms/form-body.ts';
import { pageTime } from '../../page-time.ts';
import { requireViewer, signedIn } from '../../session/web-viewer.ts';
import { emptyQuery } from '../../web-queries.ts';
import { circularCsp } from './office-page-routes.ts';

const issueForm = z.strictObject({
  _csrf: z.string(),
  _key: z.string().regex(/^[A-Za-z0-9_-]{16,80}$/, 'must be the key the form was made with'),
  from: z.string().max(10),
  to: z.string().max(10),
});
const issuedQuery = z.strictObject({ issued: z.literal('1').optional() });

/** May this viewer read this issued circular? The plan's readers any; a unit those that name it. */
function mayRead(principal: Principal, issued: IssuedCircular): boolean {
  if (principal.role === 'unit') return principal.unit !== null && issued.units.includes(principal.unit);
  return (readers.plan as readonly string[]).includes(principal.role);
}

/**
 * Issued circulars on the pages: `POST /circular/issue` (the office; `from`, `to`, the form's `_key`;
 * 303 to the issued circular), `GET /circulars` (已印发通报; a unit those naming it), `GET /circulars/:id`
 * (its register entry), `/circulars/:id/print` (the printable text) and `/circulars/:id.docx` (Word).
 */
export const circularPageRoutes: RouteModule = (deps) => (router) => {
  const { plans, clock, circulars, units } = deps;
  const readable = async (id: string, principal: Principal): Promise<IssuedCircular> => {
    const issued = /^[1-9]\d{0,9}$/.test(id) ? await circulars.get(Number(id)) : undefined;
    if (issued === undefined || !mayRead(principal, issued)) throw PAGE_NOT_FOUND;
    return issued;
  };

  router.post('/circular/issue', requireViewer(readers.issueCirculars), heavyRead(deps.heavyReads), async (req, res) => {
    const viewer = signedIn(res);
    const form = validateInput(issueForm, formOf(req.body), 'form');
    const now = clock.now();
    const period = pageTime(() => reportPeriod(form.from, form.to, now));
    try {
      const { issued } = await issueCircular(plans, circulars, membersOf(units), {
        period,
        prefix: deps.circularPrefix,
        issuer: { role: viewer.principal.role, account: viewer.principal.account },
        at: now,
        callerKey: callerKey(viewer.principal),
        idempotencyKey: `form:${form._key}`,
      });
      res.redirect(303, `/circulars/${issued.id}?issued=1`);
    } catch (error) {
      if (error instanceof CircularKeyReused) throw problem('idempotencyKeyReused', error.message);
      throw error;
    }
  });

  router.get('/circulars', requireViewer(readers.circular), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const viewer = signedIn(res);
    const issued = await circulars.list(viewer.principal.role === 'unit' ? { unit: viewer.principal.unit ?? '' } : {});
    res.type('html').send(issuedCircularsPage(viewer, issued).text);
  });

  router.get('/circulars/:id.docx', requireViewer(readers.circular), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const issued = await readable(String(req.params['id']), signedIn(res).principal);
    res
      .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .set('Content-Disposition', attachmentDisposition(`通报-${issued.number}.docx`, `circular-${issued.year}-${issued.sequence}.docx`))
      .set('Cache-Control', 'private, no-store')
      .send(await circularDocx(issued.circular));
  });

  router.get('/circulars/:id/print', requireViewer(readers.circular), async (req, res) => {
    validateInput(emptyQuery, req.query, 'query');
    const issued = await readable(String(req.params['id']), signedIn(res).principal);
    const document = circularHtml(issued.circular);
    res.setHeader('Content-Security-Policy', circularCsp(document));
    res.type('html').send(document);
  });

  router.get('/circulars/:id', requireViewer(readers.circular), async (req, res) => {
    const query = validateInput(issuedQuery, req.query, 'query');
    const viewer = signedIn(res);
    const issued = await readable(String(req.params['id']), viewer.principal);
    const notices = query.issued === undefined ? [] : [{ kind: 'success' as const, text: `通报已印发，文号${issued.number}，已通知 ${issued.units.length} 个单位。` }];
    res.type('html').send(issuedCircularPage(viewer, issued, notices).text);
  });
};
