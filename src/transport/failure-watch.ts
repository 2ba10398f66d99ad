import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';

export interface FailureWatchHandlers {
  /** Any frame arrived: the connection is alive. */
  onActivity(): void;
  /** A `/meta/subscribe` was refused. Faye reports this nowhere when it re-subscribes by itself. */
  onSubscribeRefused(channel: string, error: string | null): void;
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
        if (message.successful === false) {
          const error = typeof message.error === 'string' ? message.error : null;
          if (message.channel === '/meta/subscribe') {
            for (const channel of [message.subscription ?? []].flat()) handlers.onSubscribeRefused(channel, error);
          } else if (message.channel === '/meta/handshake') {
            handlers.onHandshakeRefused(error);
          }
        }
      } finally {
        callback(message);
      }
    },
  };
}
