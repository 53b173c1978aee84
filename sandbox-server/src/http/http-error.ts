/**
 * An error an HTTP handler throws to answer `{error: {code, message}}` with a status.
 *
 * @example
 * throw new HttpError(400, 'bad_request', 'field "lesson": expected a string');
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
