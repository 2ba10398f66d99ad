import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeAdapter } from 'faye';

interface AdapterInternals {
  handle(request: IncomingMessage, response: ServerResponse): void;
}

/**
 * faye 1.4.3's adapter can answer one callback-polling (JSONP) request twice; the second
 * `writeHead` throws ERR_HTTP_HEADERS_SENT from a timer, which would take the look-alike
 * server's whole process down because of one client. Later answers are dropped instead:
 * the first one already reached the client.
 */
export function answerEachRequestOnce(adapter: NodeAdapter): void {
  const internals = adapter as unknown as AdapterInternals;
  const handle = internals.handle.bind(adapter);
  // faye looks `handle` up on each request, so an own property takes its place.
  internals.handle = (request, response) => {
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((...args: unknown[]) => (response.headersSent ? response : writeHead(...args))) as ServerResponse['writeHead'];
    response.end = ((...args: unknown[]) => (response.writableEnded ? response : end(...args))) as ServerResponse['end'];
    handle(request, response);
  };
}
