/** Why an import or an amendment of a plan (plan-amendments.ts) was refused before anything was written. */
export type PlanImportRefusal = 'plan-exists' | 'unknown-units' | 'invalid' | 'no-plan' | 'number-taken' | 'stale-revision';

/**
 * A plan import refused as a whole, with each field or unit at fault (`path`, a Chinese `message`;
 * `lines` for an unknown unit). Mapped to a problem in http/problem-details.ts, to a message in the CLI.
 */
export class PlanImportRefused extends Error {
  override readonly name = 'PlanImportRefused';

  constructor(
    readonly reason: PlanImportRefusal,
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string; readonly lines?: readonly number[] }[],
  ) {
    super(message);
  }
}
