import type { PlanReader } from '../plan-reader.ts';
import type { Period } from '../../time/calendar.ts';
import { periodEnd } from '../../time/calendar.ts';
import { circular } from './circular.ts';
import { circularRecipients } from './circular-recipients.ts';
import type { CircularIssuer, CircularRegister, IssuedCircular } from './circular-register.ts';

/** The members of a collective by the registry's units (none for a unit that is no collective). Pure. */
export function membersOf(units: { readonly units: readonly { readonly name: string; readonly members?: readonly string[] | undefined }[] }): (name: string) => readonly string[] {
  const byName = new Map(units.units.map((unit) => [unit.name, unit.members ?? []]));
  return (name) => byName.get(name) ?? [];
}

/** What issuing a period's circular needs besides the period: who, when, the prefix and the request's key. */
export interface IssueCircularRequest {
  readonly period: Period;
  readonly prefix: string;
  readonly issuer: CircularIssuer;
  readonly at: Date;
  readonly callerKey: string;
  readonly idempotencyKey?: string | undefined;
}

/**
 * Issues the circular of a period, for the API and the pages alike: the circular as of the period's
 * end (replayed from the log), sent to the units it names (collectives as their members, `membersOf`),
 * numbered and registered by `register`. Does IO.
 */
export async function issueCircular(
  plans: PlanReader,
  register: CircularRegister,
  membersOf: (name: string) => readonly string[],
  request: IssueCircularRequest,
): Promise<{ issued: IssuedCircular; created: boolean }> {
  const plan = await plans.facts({ at: new Date(periodEnd(request.period)), now: false });
  const draft = circular(request.period, plan.tasks, plan.events);
  return register.issue({
    prefix: request.prefix,
    circular: draft,
    units: circularRecipients(draft, membersOf),
    issuer: request.issuer,
    at: request.at,
    callerKey: request.callerKey,
    idempotencyKey: request.idempotencyKey,
  });
}
