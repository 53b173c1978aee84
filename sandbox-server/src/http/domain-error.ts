/**
 * What can go wrong, in the domain's words. Feature rooms throw these; the one error handler
 * (`error-handler.ts`) is the only place that turns a kind into an HTTP status.
 */
export const ERROR_KINDS = {
  /** The request names something invalid (a field, a path). */
  invalid: 400,
  /** No credentials, or the wrong ones. */
  unauthorized: 401,
  /** Credentials that are valid but not for this. */
  forbidden: 403,
  /** No such session, lesson, step, workshop, file… */
  not_found: 404,
  /** The thing is in a state that does not allow this (an expired or failed session's sandbox). */
  conflict: 409,
  /** It existed, and has ended (an expired session, an ended workshop). */
  gone: 410,
  /** The request body is over its limit. */
  too_large: 413,
  /** One client asks too often; try again after `retryAfterSeconds`. */
  rate_limited: 429,
  /** The server itself is full; try again after `retryAfterSeconds`. */
  at_capacity: 503,
  /** Something the server depends on (a sandbox, a learner's program) failed. */
  upstream: 502,
  /** Something the server depends on did not answer in time. */
  upstream_timeout: 504,
  /** This server (or its driver) does not do that. */
  unsupported: 501,
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

/**
 * An error a person can act on: its `kind` says what class of failure it is, `code` is the
 * stable machine name in the `{error: {code, message}}` body, `message` says what to do.
 *
 * @example
 * throw new DomainError('not_found', 'unknown_lesson', 'there is no lesson "x"');
 * throw new DomainError('at_capacity', 'at_capacity', 'All sandboxes are in use.', { retryAfterSeconds: 30 });
 */
export class DomainError extends Error {
  readonly retryAfterSeconds: number | undefined;
  /** The HTTP status the error handler answers with (ERROR_KINDS is the one mapping). */
  readonly status: (typeof ERROR_KINDS)[ErrorKind];

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    opts: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.status = ERROR_KINDS[kind];
  }
}
