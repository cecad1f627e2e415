/** Why a plan input was refused; lets a CLI pick an exit code or hint without parsing the message. */
export type PlanInputErrorCode = 'binary' | 'utf16' | 'encoding' | 'no-tasks' | 'units-file';

/**
 * A plan file or units file that cannot be used, with a message meant to be shown to a person
 * as is (Chinese, then English; never a stack trace).
 */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
  readonly code: PlanInputErrorCode;

  constructor(code: PlanInputErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
