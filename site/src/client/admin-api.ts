import { serverSentEvents } from '#contracts/server-sent-events.ts';
import type { CreateWorkshopBody, DashboardSnapshot, WorkshopView } from '#contracts/workshop.ts';
import { ApiError } from './api-client.ts';

/**
 * The instructor's side of the workshop API (sandbox-server/API.md), with the admin token on
 * every call.
 *
 * @example
 * const admin = new AdminApi(token);
 * const { workshops } = await admin.list();
 */
export class AdminApi {
  constructor(readonly token: string) {}

  list(): Promise<{ workshops: WorkshopView[] }> {
    return this.json('GET', '/api/workshops');
  }

  create(body: CreateWorkshopBody): Promise<WorkshopView> {
    return this.json('POST', '/api/workshops', body);
  }

  learnerAction(
    workshop: string,
    learner: string,
    action: 'reset' | 'goto' | 'extend' | 'terminal',
    body: object = {},
  ): Promise<Record<string, unknown>> {
    return this.json(
      'POST',
      `/api/workshops/${encodeURIComponent(workshop)}/learners/${encodeURIComponent(learner)}/${action}`,
      body,
    );
  }

  broadcast(workshop: string, text: string): Promise<unknown> {
    return this.json('POST', `/api/workshops/${encodeURIComponent(workshop)}/broadcast`, { text });
  }

  end(workshop: string): Promise<WorkshopView> {
    return this.json('POST', `/api/workshops/${encodeURIComponent(workshop)}/end`, {});
  }

  async resultsCsv(workshop: string): Promise<Blob> {
    return (
      await this.request('GET', `/api/workshops/${encodeURIComponent(workshop)}/results.csv`)
    ).blob();
  }

  /** Dashboard snapshots as they come, until `signal` aborts or the stream ends. */
  async *dashboard(workshop: string, signal: AbortSignal): AsyncGenerator<DashboardSnapshot> {
    const res = await this.request(
      'GET',
      `/api/workshops/${encodeURIComponent(workshop)}/events`,
      undefined,
      signal,
    );
    for await (const event of serverSentEvents(res.body!)) {
      if (event.event === 'dashboard') yield JSON.parse(event.data) as DashboardSnapshot;
    }
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const res = await fetch(path, {
      method,
      signal,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const error = (await res.json().catch(() => ({}))) as {
        error?: { code: string; message: string };
      };
      throw new ApiError(
        res.status,
        error.error?.code ?? 'error',
        error.error?.message ?? res.statusText,
        undefined,
      );
    }
    return res;
  }
}
