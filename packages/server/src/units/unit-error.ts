/** Why a change to the units was refused: a name taken, a unit not in the registry, anything else. */
export type UnitRefusal = 'duplicate' | 'unknown' | 'invalid';

/**
 * A refused change to the unit registry: `message` is Chinese, for the admin who asked; `field`
 * names the part at fault (`name`, `kind`, `aliases`, `members`, `addUnits.0.name`, …). Nothing
 * was changed and no audit entry written.
 */
export class UnitError extends Error {
  constructor(
    readonly refusal: UnitRefusal,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnitError';
  }
}
