/**
 * Reading a `text/event-stream` response with `fetch` (so it can carry an Authorization header,
 * which EventSource cannot): the workshop dashboard, the learner's message stream, the CLI and
 * the load benchmark all read their live updates this way.
 */

export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * The events of a response body, one at a time; comment lines (keep-alives) are skipped.
 *
 * @example
 * const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
 * for await (const e of serverSentEvents(res.body!)) if (e.event === 'dashboard') render(JSON.parse(e.data));
 */
export async function* serverSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      let end = buffer.indexOf('\n\n');
      while (end === -1) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        end = buffer.indexOf('\n\n');
      }
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
  } finally {
    reader.releaseLock();
  }
}
