import type { Response } from 'express';
import type { RouteModule } from '../../../app/app-deps.ts';
import { callerKey, principalOf } from '../../../auth/principal.ts';
import type { Principal } from '../../../auth/principal.ts';
import { readers } from '../../../auth/readers.ts';
import { requireRole } from '../../../auth/require-role.ts';
import { attachmentDisposition } from '../../../http/content-disposition.ts';
import { heavyRead } from '../../../http/heavy-reads.ts';
import { invalidFields, problem } from '../../../http/problems.ts';
import { validateInput } from '../../../http/validate-input.ts';
import { circularHtml, circularMarkdown } from '../../../reports/index.ts';
import { circularDocx } from '../../../reports/circular/circular-docx.ts';
import { issueCircular, membersOf } from '../../../reports/circular/issue-circular.ts';
import type { IssuedCircular } from '../../../reports/circular/circular-register.ts';
import { CircularKeyReused } from '../../../reports/circular/circular-register.ts';
import { AsOfError, reportPeriod } from '../../../time/as-of.ts';
import { idempotencyKeyHeader, issueCircularBody, issuedCircularQuery, noQuery } from '../../schemas.ts';

/** An issued circular as the API lists it: everything but its content. Pure. */
export function issuedCircularView(issued: IssuedCircular): Omit<IssuedCircular, 'circular'> {
  const { circular: _content, ...view } = issued;
  return view;
}

/** May this caller read this issued circular? The plan's readers any; a unit those that name it. */
function mayRead(principal: Principal, issued: IssuedCircular): boolean {
  if (principal.role === 'unit') return principal.unit !== null && issued.units.includes(principal.unit);
  return (readers.plan as readonly string[]).includes(principal.role);
}

/**
 * Issued circulars (通报印发): `POST /reports/circulars` `{ from, to }` (the office; optional
 * Idempotency-Key) numbers the period's circular (文号), records it in the register with the hash of
 * its content, and sends a notice to each unit it names -> 201 (200 with the first issue when the key
 * repeats; 422 when it repeats for another period); `GET /reports/circulars` lists them (a unit only
 * those naming it); `GET /reports/circulars/:id?format=json|md|html|docx` reads one (404 to a unit it
 * does not name).
 */
export const circularRoutes: RouteModule = ({ plans, clock, units, heavyReads, circulars, circularPrefix }) => (router) => {
  const issuers = requireRole(readers.issueCirculars, 'issue circulars');

  router.post('/reports/circulars', issuers, heavyRead(heavyReads), async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const body = validateInput(issueCircularBody, req.body ?? {}, 'body');
    const keyHeader = req.get('Idempotency-Key');
    const key = keyHeader === undefined ? undefined : validateInput(idempotencyKeyHeader, keyHeader, 'header.Idempotency-Key');
    const now = clock.now();
    let period;
    try {
      period = reportPeriod(body.from, body.to, now);
    } catch (error) {
      if (error instanceof AsOfError) throw invalidFields('body', [{ path: `body.${error.field}`, message: error.message }]);
      throw error;
    }
    const principal = principalOf(res);
    try {
      const { issued, created } = await issueCircular(plans, circulars, membersOf(units), {
        period,
        prefix: circularPrefix,
        issuer: { role: principal.role, account: principal.account },
        at: now,
        callerKey: callerKey(principal),
        idempotencyKey: key,
      });
      res.status(created ? 201 : 200).location(`${req.baseUrl}/reports/circulars/${issued.id}`).json(issuedCircularView(issued));
    } catch (error) {
      if (error instanceof CircularKeyReused) throw problem('idempotencyKeyReused', error.message);
      throw error;
    }
  });

  router.get('/reports/circulars', async (req, res) => {
    validateInput(noQuery, req.query, 'query');
    const principal = principalOf(res);
    if (principal.role !== 'unit' && !(readers.plan as readonly string[]).includes(principal.role)) throw problem('forbidden', `role ${principal.role} may not read circulars`);
    const all = await circulars.list(principal.role === 'unit' ? { unit: principal.unit ?? '' } : {});
    res.json({ items: all.map(issuedCircularView) });
  });

  router.get('/reports/circulars/:id', async (req, res) => {
    const { format } = validateInput(issuedCircularQuery, req.query, 'query');
    const id = String(req.params.id);
    const issued = /^[1-9]\d{0,9}$/.test(id) ? await circulars.get(Number(id)) : undefined;
    if (issued === undefined || !mayRead(principalOf(res), issued)) throw problem('circularNotFound', `no issued circular ${id} is visible to the caller`);
    await sendIssued(res, issued, format ?? 'json');
  });
};

/** One issued circular in the format asked for; Word as a download named 通报-<文号>.docx. */
export async function sendIssued(res: Response, issued: IssuedCircular, format: 'json' | 'md' | 'html' | 'docx'): Promise<void> {
  switch (format) {
    case 'json':
      res.json({ ...issuedCircularView(issued), circular: issued.circular });
      return;
    case 'md':
      res.type('text/markdown; charset=utf-8').send(circularMarkdown(issued.circular));
      return;
    case 'html':
      res.type('text/html; charset=utf-8').send(circularHtml(issued.circular));
      return;
    case 'docx': {
      const bytes = await circularDocx(issued.circular);
      res
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .set('Content-Disposition', attachmentDisposition(`通报-${issued.number}.docx`, `circular-${issued.year}-${issued.sequence}.docx`))
        .set('Cache-Control', 'private, no-store')
        .send(bytes);
    }
  }
}
