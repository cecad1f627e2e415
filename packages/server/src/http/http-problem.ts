/** One field a request got wrong, for a 422's `errors`. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** What names a kind of problem: its status, stable kebab-case code and Chinese title (see problems.ts). */
export interface ProblemKind {
  readonly status: number;
  /** The problem's `type` is `urn:duban:problem:<code>`. */
  readonly code: string;
  /** Chinese, for people. */
  readonly title: string;
}

/**
 * A refusal decided at the HTTP edge (bad query, wrong role for a route, rate limit…), carrying its
 * status and RFC 9457 fields. Made only by the named constructors of problems.ts; the error
 * middleware writes it; nothing else formats problems.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  readonly code: string;
  readonly title: string;

  constructor(
    kind: ProblemKind,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.status = kind.status;
    this.code = kind.code;
    this.title = kind.title;
  }
}

/** The problem `type` URI of a code. */
export function problemType(code: string): string {
  return `urn:duban:problem:${code}`;
}
