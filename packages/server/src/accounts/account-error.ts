/**
 * A refused change to an account, or a refused sign-in: `message` is Chinese, for the person who
 * asked; `field` names the form field at fault (`login`, `unit`, `password`, …). Nothing was changed.
 */
export class AccountError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}
