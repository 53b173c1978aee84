/**
 * The browser side of the HTTP API (contracts/http-api.ts), exactly as the contract says: JSON bodies,
 * `{error: {code, message}}` errors, `Authorization: Bearer <token>` on every session call.
 * `fetch` is injectable so unit tests can exercise it without a server.
 */

import type {
  CheckOutcome,
  CreatedSession,
  SessionState,
  SessionView,
  TerminalTicket,
} from '#contracts/http-api.ts';

export type { CheckOutcome, TerminalTicket };

/** What the page keeps of a created session. */
export type SessionCredentials = Pick<CreatedSession, 'id' | 'token' | 'expiresAt'>;

export type SessionStateName = SessionState;

/** The part of a session view the page relies on (reset and goto answer a view too). */
export type SessionInfo = Pick<SessionView, 'id' | 'state' | 'expiresAt'> &
  Partial<Pick<SessionView, 'lesson' | 'step' | 'idleExpiresAt' | 'message'>>;

/**
 * When the session ends if nothing changes: the earlier of its TTL and its idle timeout.
 *
 * @example
 * effectiveExpiry({ expiresAt: '2030-01-01T01:00:00Z', idleExpiresAt: '2030-01-01T00:30:00Z' })
 * // Date.parse('2030-01-01T00:30:00Z')
 */
export function effectiveExpiry(info: Pick<SessionInfo, 'expiresAt' | 'idleExpiresAt'>): number {
  const hard = Date.parse(info.expiresAt);
  const idle = info.idleExpiresAt ? Date.parse(info.idleExpiresAt) : Number.NaN;
  return Number.isNaN(idle) ? hard : Math.min(hard, idle);
}

/** An API answer other than 2xx, carrying what the person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from `Retry-After`, when the server sent one (429, 503). */
    readonly retryAfter: number | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Parse `Retry-After` (seconds or an HTTP date) into whole seconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** How long one request asks the server to hold it while a sandbox starts (`?wait=`). */
export const READY_WAIT_S = 20;

/**
 * A small typed client for the sandbox server's API.
 *
 * @example
 * const api = new ApiClient();
 * const session = await api.createSession({ lesson: 'images', lang: 'en' });
 * const result = await api.check(session, { lesson: 'images', step: 'pull', lang: 'en' });
 */
export class ApiClient {
  constructor(
    private readonly base = '',
    private readonly fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
  ) {}

  /** A new session; with `step` (and `lesson`), its sandbox starts at that step. */
  createSession(body: {
    lesson?: string;
    lang?: string;
    step?: string;
  }): Promise<SessionCredentials> {
    return this.json('POST', '/api/sessions', undefined, body);
  }

  /** The session; with `waitS` (see READY_WAIT_S), a starting one answers once it is ready (or has failed). */
  getSession(s: SessionCredentials, waitS?: number): Promise<SessionInfo> {
    return this.json('GET', waitS ? `${this.path(s)}?wait=${waitS}` : this.path(s), s);
  }

  async deleteSession(s: SessionCredentials): Promise<void> {
    await this.request('DELETE', this.path(s), s);
  }

  /** A fresh sandbox under the same session. */
  reset(s: SessionCredentials): Promise<Partial<SessionInfo>> {
    return this.json('POST', `${this.path(s)}/reset`, s, {});
  }

  extend(s: SessionCredentials): Promise<{ expiresAt: string }> {
    return this.json('POST', `${this.path(s)}/extend`, s, {});
  }

  /** Bring the sandbox to the start of `step` by replaying earlier solutions. */
  goto(
    s: SessionCredentials,
    body: { lesson: string; step: string },
  ): Promise<Partial<SessionInfo>> {
    return this.json('POST', `${this.path(s)}/goto`, s, body);
  }

  terminalTicket(
    s: SessionCredentials,
    body: { terminal?: string; mode: 'write' | 'read' },
  ): Promise<TerminalTicket> {
    return this.json('POST', `${this.path(s)}/terminals`, s, body);
  }

  check(
    s: SessionCredentials,
    body: { lesson: string; step: string; lang?: string },
  ): Promise<CheckOutcome> {
    return this.json('POST', `${this.path(s)}/check`, s, body);
  }

  /** A workspace file's text, or `null` when it does not exist yet. */
  async readFile(s: SessionCredentials, file: string): Promise<string | null> {
    try {
      const res = await this.request('GET', this.filePath(s, file), s);
      return await res.text();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  async writeFile(s: SessionCredentials, file: string, body: string): Promise<void> {
    await this.request('PUT', this.filePath(s, file), s, body, 'application/octet-stream');
  }

  /**
   * Where the ports proxy serves `127.0.0.1:<port>` of the sandbox. A new tab cannot send the
   * bearer header, so the token rides in the query once (the server trades it for a cookie).
   */
  portUrl(s: Pick<SessionCredentials, 'id' | 'token'>, port: number): string {
    const token = encodeURIComponent(s.token);
    return `${this.base}/api/sessions/${encodeURIComponent(s.id)}/ports/${port}/?token=${token}`;
  }

  /** The terminal WebSocket URL for a ticket, relative to `location`. */
  terminalUrl(s: Pick<SessionCredentials, 'id'>, ticket: string, location: Location | URL): string {
    const url = new URL(
      `${this.base}/api/sessions/${encodeURIComponent(s.id)}/terminal`,
      location.href,
    );
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    return url.toString();
  }

  private path(s: Pick<SessionCredentials, 'id'>): string {
    return `/api/sessions/${encodeURIComponent(s.id)}`;
  }

  private filePath(s: SessionCredentials, file: string): string {
    const encoded = file
      .split('/')
      .filter((part) => part !== '')
      .map(encodeURIComponent)
      .join('/');
    return `${this.path(s)}/files/${encoded}`;
  }

  private async json<T>(
    method: string,
    path: string,
    s: SessionCredentials | undefined,
    body?: unknown,
  ): Promise<T> {
    const res = await this.request(
      method,
      path,
      s,
      body === undefined ? undefined : JSON.stringify(body),
      'application/json',
    );
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async request(
    method: string,
    path: string,
    s: SessionCredentials | undefined,
    body?: string,
    contentType?: string,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (s) headers.authorization = `Bearer ${s.token}`;
    if (body !== undefined && contentType) headers['content-type'] = contentType;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}`, { method, headers, body });
    } catch (error) {
      throw new ApiError(0, 'network', `the server did not answer (${String(error)})`, undefined);
    }
    if (res.ok) return res;
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    let code = `http_${res.status}`;
    let message = res.statusText || `HTTP ${res.status}`;
    try {
      const payload = (await res.json()) as { error?: { code?: string; message?: string } };
      if (payload.error?.code) code = payload.error.code;
      if (payload.error?.message) message = payload.error.message;
    } catch {
      // Not JSON (a proxy's error page): keep the status text.
    }
    throw new ApiError(res.status, code, message, retryAfter);
  }
}
