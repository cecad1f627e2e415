/** Why a plan input was refused; lets a CLI or an HTTP route pick an exit code or a status without parsing the message. */
export type PlanInputErrorCode =
  | 'binary' | 'utf16' | 'encoding' | 'no-tasks' | 'units-file'
  | 'empty' | 'too-large' | 'zip-bomb' | 'macro' | 'wrong-extension' | 'save-as' | 'unsupported' | 'damaged' | 'plan-json';

/**
 * A plan file or units file that cannot be used, with a message meant to be shown to a person
 * as is (Chinese, then English; never a stack trace). `file` names the file when there is one.
 */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
  readonly code: PlanInputErrorCode;
  readonly file: string | undefined;

  constructor(code: PlanInputErrorCode, message: string, file?: string) {
    super(message);
    this.code = code;
    this.file = file;
  }
}

/** A refusal of the file `file`: "《file》：中文 / file: English". */
export function refuseFile(code: PlanInputErrorCode, file: string, chinese: string, english: string): PlanInputError {
  return new PlanInputError(code, `“${file}”${chinese} / ${file}: ${english}`, file);
}
