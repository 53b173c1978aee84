import type { SSEStreamingApi } from 'hono/streaming';
import type { WorkshopService } from './workshop-service.ts';

/** A dashboard is re-sent at most this often while learners are busy… */
const DASHBOARD_THROTTLE_MS = 300;
/** …and at least this often anyway, so "time on step" keeps counting. */
const DASHBOARD_TICK_MS = 5000;

type Workshop = Awaited<ReturnType<WorkshopService['get']>>;

/**
 * A learner's event stream: the workshop (title, end, state), the instructor's messages so
 * far, then each new message and the workshop's end, until the request ends.
 *
 * @example
 * return streamSSE(c, (stream) => learnerEvents(stream, workshops, workshop, c.req.raw.signal));
 */
export async function learnerEvents(
  stream: SSEStreamingApi,
  workshops: WorkshopService,
  workshop: Workshop,
  signal: AbortSignal,
): Promise<void> {
  const state = async () =>
    workshops.running(await workshops.get(workshop.id)) ? 'running' : 'ended';
  const send = (data: unknown, event: string) =>
    stream.writeSSE({ event, data: JSON.stringify(data) });
  const workshopEvent = (w: Workshop, state: string) => ({
    type: 'workshop',
    title: w.title,
    endsAt: new Date(w.endsAt).toISOString(),
    state,
  });
  await send(workshopEvent(workshop, await state()), 'workshop');
  for (const m of await workshops.messages(workshop.id)) {
    await send(
      { type: 'message', id: m.id, text: m.text, sentAt: new Date(m.sentAt).toISOString() },
      'message',
    );
  }
  const queue: Promise<unknown>[] = [];
  const off = workshops.onChange((change) => {
    if (change.workshopId !== workshop.id) return;
    if (change.type === 'message') {
      const sentAt = new Date(change.sentAt).toISOString();
      queue.push(send({ type: 'message', id: change.id, text: change.text, sentAt }, 'message'));
    } else if (change.type === 'ended') {
      queue.push(
        workshops
          .get(workshop.id)
          .then((w) => send(workshopEvent(w, 'ended'), 'workshop'))
          .catch(() => undefined),
      );
    }
  });
  stream.onAbort(off);
  await keepAlive(stream, signal);
  off();
}

/**
 * The instructor's live dashboard: a snapshot now, then one after each change (throttled) and
 * at least every few seconds, until the request ends.
 *
 * @example
 * return streamSSE(c, (stream) => dashboardEvents(stream, workshops, id, c.req.raw.signal));
 */
export async function dashboardEvents(
  stream: SSEStreamingApi,
  workshops: WorkshopService,
  id: string,
  signal: AbortSignal,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let sending = Promise.resolve();
  const push = () => {
    timer = undefined;
    sending = sending
      .then(async () => {
        const snapshot = await workshops.snapshot(id);
        await stream.writeSSE({ event: 'dashboard', data: JSON.stringify(snapshot) });
      })
      .catch(() => undefined);
  };
  const schedule = () => {
    timer ??= setTimeout(push, DASHBOARD_THROTTLE_MS);
  };
  const off = workshops.onChange((change) => {
    if (change.workshopId === id) schedule();
  });
  const tick = setInterval(schedule, DASHBOARD_TICK_MS);
  stream.onAbort(() => {
    off();
    clearInterval(tick);
    clearTimeout(timer);
  });
  push();
  await keepAlive(stream, signal);
  off();
  clearInterval(tick);
  clearTimeout(timer);
}

/** Comment lines every 15 s keep proxies from closing a quiet stream; ends with the request. */
async function keepAlive(
  stream: { writeln(text: string): Promise<unknown>; closed: boolean; aborted: boolean },
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted && !stream.closed && !stream.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    if (!signal.aborted) await stream.writeln(': keep-alive\n').catch(() => undefined);
  }
}
