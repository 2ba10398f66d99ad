import type { BayeuxMessage, ExtensionCallback } from 'faye';

/** The one transport whose messages travel in a URL's query string. */
const URL_TRANSPORT = 'callback-polling';
/** How often a held message looks again for a transport that keeps it out of URLs. */
const RECHECK_MS = 25;

export interface AuthExtensionOptions {
  readonly token: string;
  /** The transport faye is about to send on; `undefined` when unknown. */
  readonly transportType: () => string | undefined;
  /** How long a message that carries the token waits for another transport before it is dropped. */
  readonly holdMs: number;
}

/** The auth extension's outgoing half, and the way to free the timers of the messages it holds. */
export interface AuthExtension {
  /** Adds the token to what needs it; runs without `this`. */
  outgoing(message: BayeuxMessage, callback: ExtensionCallback): void;
  dispose(): void;
}

/**
 * GroupMe authenticates each `/meta/subscribe` (and each client publish, such as typing)
 * by `ext.access_token`; `ext.timestamp` is Unix seconds. Other meta messages go bare so
 * the token travels no further than it must.
 *
 * A browser cannot handshake cross-origin without callback-polling (JSONP), and faye keeps
 * sending on the handshake's transport until the WebSocket it prefers has opened: a
 * subscribe sent in that window would put the token in a URL. So a message that carries
 * the token waits while faye's transport is callback-polling, and is dropped (its sender's
 * timeout reports it) if no other transport comes within `holdMs`.
 */
export function createAuthExtension(options: AuthExtensionOptions): AuthExtension {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let disposed = false;

  const release = (message: BayeuxMessage, callback: ExtensionCallback, deadline: number): void => {
    if (disposed) return;
    if (options.transportType() === URL_TRANSPORT) {
      if (Date.now() >= deadline) {
        callback(null);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        release(message, callback, deadline);
      }, RECHECK_MS);
      timers.add(timer);
      return;
    }
    message.ext = { ...message.ext, access_token: options.token, timestamp: Math.floor(Date.now() / 1000) };
    callback(message);
  };

  return {
    outgoing(message: BayeuxMessage, callback: ExtensionCallback): void {
      const channel = message.channel;
      if (channel === '/meta/subscribe' || !channel.startsWith('/meta/')) release(message, callback, Date.now() + options.holdMs);
      else callback(message);
    },
    dispose(): void {
      disposed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
