/** A failure meant for a person at the terminal: the CLI prints its message alone (no stack) and exits 1. */
export class UserError extends Error {
  override readonly name = 'UserError';
}
