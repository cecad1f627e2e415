/** One field a request got wrong, for a 422's `errors`. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A refusal decided at the HTTP edge (bad query, wrong role for a route, rate limit…), carrying its
 * status and RFC 9457 fields. The error middleware writes it; nothing else formats problems.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';

  constructor(
    readonly status: number,
    /** Stable kebab-case code; the problem's `type` is `urn:duban:problem:<code>`. */
    readonly code: string,
    /** Chinese, for people. */
    readonly title: string,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

/** The problem `type` URI of a code. */
export function problemType(code: string): string {
  return `urn:duban:problem:${code}`;
}
