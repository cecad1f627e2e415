/**
 * Whether an error from the PostgreSQL driver means "try again later" rather than a bug: the server cannot
 * be reached, refuses more connections, or is shutting down. Reads only the error's code, so it needs no `pg`.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // 08: connection exception · 53: insufficient resources · 57P0x: admin/crash shutdown, cannot connect now.
  return /^(08|53)...$/.test(code) || /^57P0[1-3]$/.test(code) || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|EPIPE)$/.test(code);
}
