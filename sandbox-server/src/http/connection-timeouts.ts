import type { ServerOptions } from 'node:http';

/**
 * How long a client may take to send a request. Node's defaults let one connection hold out for
 * minutes with a request it never finishes (headers 60 s, the whole request 5 min, checked only
 * every 30 s): a slow-loris script could hold thousands of sockets on a class's one server. A
 * browser on a LAN sends its headers in milliseconds, and the largest body the API takes (a
 * 1 MiB file) in well under the request limit. Upgraded WebSockets are not requests: once
 * upgraded, these no longer apply to them.
 *
 * @example
 * createAdaptorServer({ fetch, serverOptions: HTTP_SERVER_OPTIONS });
 */
export const HTTP_SERVER_OPTIONS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  connectionsCheckingInterval: 1_000,
} as const satisfies ServerOptions;
