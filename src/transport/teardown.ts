import type { Client } from 'faye';
import { removePageListeners } from './page-listeners.js';

// faye 1.4.3 internals touched here, and only here. `disconnect()` alone leaves a retry
// timer, pending envelope timers, an HTTP long-poll or a WebSocket in its closing
// handshake: each keeps Node alive (for seconds, or forever when the server is gone).
interface FayeSocketInternals {
  close?(): void;
  _stream?: { destroy?(): void };
}
interface FayeTransportInternals {
  close?(): void;
  removeAllTimeouts?(): void;
  /** Set only once a WebSocket is open: one still opening is reachable only through `callback`. */
  _socket?: FayeSocketInternals;
  /** faye's Deferrable: called with the WebSocket once it opens. */
  callback?(fn: (socket: FayeSocketInternals | undefined) => void): void;
  connect?(): void;
}
interface FayeEnvelopeInternals {
  timer?: ReturnType<typeof setTimeout> | null;
  request?: unknown;
  message?: { channel?: string };
}
interface FayeClientInternals {
  _state?: number;
  DISCONNECTED?: number;
  _advice?: { reconnect?: string };
  _dispatcher?: {
    _envelopes?: Map<string, FayeEnvelopeInternals>;
    transports?: Record<string, Map<string, FayeTransportInternals> | undefined>;
    close?(): void;
  };
}

const CONNECTED = 3;
const DISCONNECTED = 4;

/**
 * Stops a faye client for good: no timer, request or socket survives it (its sockets close
 * once the promise callbacks already queued have run, so that the disconnect goes out).
 * The one teardown for every faye client: the PushClient's, the look-alike server's own
 * in-process publisher, and the bare clients of tests and benchmarks.
 */
export function tearDownFayeClient(client: Client): void {
  const internals = client as unknown as FayeClientInternals;
  removePageListeners(client);
  // Sends /meta/disconnect when connected, so the server forgets us at once.
  if (internals._state === CONNECTED) {
    try {
      client.disconnect();
    } catch {
      // The transport may already be broken; the hard close below still runs.
    }
  }
  // Both, so that a pending handshake or connect retry does nothing when its timer fires:
  // 'none' stops them, and DISCONNECTED (also for a client between connections) still
  // stops connect() and a handshake advice should a closing server's reply reset 'none'.
  if (internals._advice) internals._advice.reconnect = 'none';
  internals._state = internals.DISCONNECTED ?? DISCONNECTED;

  const dispatcher = internals._dispatcher;
  if (!dispatcher) return;
  // faye keeps its WebSockets here; an HTTP transport is only the dispatcher's current one.
  const transports = Object.values(dispatcher.transports ?? {}).flatMap((byEndpoint) => [...(byEndpoint?.values() ?? [])]);
  for (const envelope of dispatcher._envelopes?.values() ?? []) {
    if (envelope.timer) clearTimeout(envelope.timer);
    // The /meta/disconnect must reach the server, which answers it at once: a page's held
    // callback-polling /meta/connect is a script load, which nothing can abort, and it ends
    // only when the server forgets the session. Everything else in flight is cut.
    if (envelope.message?.channel !== '/meta/disconnect') abortRequest(envelope.request);
  }
  dispatcher._envelopes?.clear();
  for (const transport of transports) transport.removeAllTimeouts?.();
  // faye writes to a WebSocket from a promise callback: closed now, the socket would drop
  // the disconnect queued above. Closed once the callbacks queued so far have run, still
  // before any timer or I/O.
  queueMicrotask(() => {
    for (const transport of transports) {
      transport.close?.();
      // A WebSocket close waits for the server's close frame; a dead server never sends it.
      destroySocket(transport._socket);
      // A WebSocket still opening (a client torn down mid-reconnect, or one a late send
      // opened) is in no field until it opens, and would then stay open for good: it is
      // destroyed when it opens, and no other is opened.
      if (transport.connect) transport.connect = () => undefined;
      transport.callback?.(destroySocket);
    }
    dispatcher.close?.();
  });
}

function abortRequest(request: unknown): void {
  if (!request || typeof (request as Promise<unknown>).then !== 'function') return;
  (request as Promise<unknown>).then(
    (req) => {
      const r = req as { abort?(): void; destroy?(): void } | undefined;
      // Node's ClientRequest, or a browser's XMLHttpRequest: both really cancel. Anything
      // else is faye's own wrapper: a WebSocket's, closed with its transport, or a
      // callback-polling script's, which nothing can cancel: its "abort" only deletes the
      // callback that the script calls once answered, and the page then throws.
      if (typeof r?.destroy === 'function') r.destroy();
      else if (typeof XMLHttpRequest !== 'undefined' && r instanceof XMLHttpRequest) r.abort();
    },
    () => undefined,
  );
}

function destroySocket(socket: FayeSocketInternals | undefined): void {
  socket?.close?.();
  socket?._stream?.destroy?.();
}
