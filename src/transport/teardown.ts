import type { Client } from 'faye';
import { removePageListeners } from './page-listeners.js';

// faye 1.4.3 internals touched here, and only here. `disconnect()` alone leaves a retry
// timer, pending envelope timers, an HTTP long-poll or a WebSocket in its closing
// handshake: each keeps Node alive (for seconds, or forever when the server is gone).
interface FayeTransportInternals {
  close?(): void;
  removeAllTimeouts?(): void;
  _socket?: { _stream?: { destroy?(): void } };
}
interface FayeEnvelopeInternals {
  timer?: ReturnType<typeof setTimeout> | null;
  request?: unknown;
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
 * Stops a faye client for good, synchronously: no timer, socket or request survives it.
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
  for (const envelope of dispatcher._envelopes?.values() ?? []) {
    if (envelope.timer) clearTimeout(envelope.timer);
    abortRequest(envelope.request);
  }
  dispatcher._envelopes?.clear();
  for (const byEndpoint of Object.values(dispatcher.transports ?? {})) {
    for (const transport of byEndpoint?.values() ?? []) {
      transport.removeAllTimeouts?.();
      transport.close?.();
      // A WebSocket close waits for the server's close frame; a dead server never sends it.
      transport._socket?._stream?.destroy?.();
    }
  }
  dispatcher.close?.();
}

function abortRequest(request: unknown): void {
  if (!request || typeof (request as Promise<unknown>).then !== 'function') return;
  (request as Promise<unknown>).then(
    (req) => {
      const r = req as { abort?(): void; destroy?(): void } | undefined;
      if (typeof r?.destroy === 'function') r.destroy();
      else r?.abort?.();
    },
    () => undefined,
  );
}
