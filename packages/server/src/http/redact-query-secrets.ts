/** Query parameters whose values are secrets wherever clients put them (OAuth's access_token, API keys, passwords). */
const SECRET_PARAMETER = /([?&](?:access_token|id_token|refresh_token|token|api_key|apikey|secret|password|passwd|code)=)[^&#]*/gi;

/**
 * A request URL fit for a log: the value of every secret-bearing query parameter replaced by
 * `[redacted]` (duban reads none of them, but a client may send one: a token must never reach a log
 * in clear). Pure.
 */
export function redactQuerySecrets(url: string): string {
  return url.replace(SECRET_PARAMETER, '$1[redacted]');
}
