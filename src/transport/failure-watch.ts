import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';
import type { AuthExtension } from './auth-extension.js';

export interface FailureWatchHandlers {
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
 *
 * It is also the one extension faye runs (faye pays per extension, for every message it
 * receives), carrying the token's `outgoing` half beside it. An object whose `incoming` is
 * a method, not a closure: with thousands of clients in a process, the function object
 * and context of a closure are two more loads an event waits on (issue #13's pool bench).
 */
export class FailureWatch implements Extension {
  /** The auth extension's half, run for each message faye sends. */
  readonly outgoing: AuthExtension['outgoing'];
  readonly #handlers: FailureWatchHandlers;
  /** Raised for every message, read by the liveness watch every few seconds: the only work a data message costs here. */
  #active = false;

  constructor(handlers: FailureWatchHandlers, outgoing: AuthExtension['outgoing']) {
    this.#handlers = handlers;
    this.outgoing = outgoing;
  }

  /** Whether any message arrived since the last call: the connection is alive. */
  takeActivity(): boolean {
    const was = this.#active;
    this.#active = false;
    return was;
  }

  incoming(message: BayeuxMessage, callback: ExtensionCallback): void {
    this.#active = true;
    try {
      const channel = message.channel;
      const handlers = this.#handlers;
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
  }
}
