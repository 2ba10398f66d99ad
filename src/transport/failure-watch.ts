import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';

export interface FailureWatchHandlers {
  /** Any frame arrived: the connection is alive. */
  onActivity(): void;
  /** A successful handshake handed out this client id. */
  onHandshake(clientId: string): void;
  /** A `/meta/subscribe` was refused. Faye reports this nowhere when it re-subscribes by itself. */
  onSubscribeRefused(channel: string, error: string | null): void;
  /** The server refused a `/meta/connect` or advised a new handshake: the session is gone. */
  onSessionRefused(detail: string): void;
  /** The server refused a handshake; faye would otherwise retry in a hot loop, silently. */
  onHandshakeRefused(error: string | null): void;
}

/**
 * An incoming extension that only watches: it is the single place where every reply is
 * visible, including the ones faye swallows. It always passes the message on unchanged
 * (calling back with null would leave the caller's promise pending forever).
 */
export function createFailureWatch(handlers: FailureWatchHandlers): Extension {
  return {
    incoming(message: BayeuxMessage, callback: ExtensionCallback): void {
      try {
        handlers.onActivity();
        const channel = message.channel;
        if (message.successful === false) {
          const error = typeof message.error === 'string' ? message.error : null;
          if (channel === '/meta/subscribe') {
            for (const path of [message.subscription ?? []].flat()) handlers.onSubscribeRefused(path, error);
          } else if (channel === '/meta/handshake') {
            handlers.onHandshakeRefused(error);
          } else if (channel === '/meta/connect') {
            // A connect carries no token: its refusal can only be about the session.
            handlers.onSessionRefused(`its /meta/connect was refused: ${error ?? 'no reason given'}`);
          }
        } else if (channel === '/meta/handshake' && typeof message.clientId === 'string') {
          handlers.onHandshake(message.clientId);
        }
        const reconnect = message.advice?.reconnect;
        if (channel !== '/meta/handshake' && (reconnect === 'handshake' || reconnect === 'none')) {
          handlers.onSessionRefused(`the server advised reconnect "${reconnect}"`);
        }
      } finally {
        callback(message);
      }
    },
  };
}
