import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';
import type { PushChannel } from '../events/channel.js';
import type { AuthExtension } from './auth-extension.js';

/** Where the data of every message on a held channel goes, called as a method of the sink. */
export interface MessageSink {
  receive(channel: PushChannel, data: unknown): void;
}

/** The channels a transport holds, by path: read, never written, here. */
export type Routes = ReadonlyMap<string, { readonly channel: PushChannel }>;

export interface FailureHandlers {
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
 * The one extension a transport adds to faye, the single place where every message is
 * visible, including the replies faye swallows. Three jobs:
 *
 * - Data messages go from here straight to the sink, for the held channel they name, and
 *   no further: faye's own routing (expanding each channel name into its wildcard
 *   patterns, a lookup for each, its publisher and subscription objects) would only reach
 *   a callback that knows the same channel. That routing took about as many instructions
 *   per message as all PushClient adds (bench/notes.md, sixth session). faye subscribes
 *   and re-subscribes as before; only the delivery of data is taken here.
 * - Replies are watched for failures and always passed on (calling back with null would
 *   leave the caller's promise pending forever), without data if one carries any.
 * - The token's `outgoing` half rides beside it: faye pays per extension, for every
 *   message it receives.
 *
 * An object whose `incoming` is a method, not a closure: a closure's function object and
 * context are two more loads an event waits on.
 */
export class FayeExtension implements Extension {
  /** The auth extension's half, run for each message faye sends. */
  readonly outgoing: AuthExtension['outgoing'];
  readonly #handlers: FailureHandlers;
  readonly #routes: Routes;
  readonly #sink: MessageSink;
  /** Raised for every message, read by the liveness watch every few seconds. */
  #active = false;

  constructor(routes: Routes, sink: MessageSink, handlers: FailureHandlers, outgoing: AuthExtension['outgoing']) {
    this.#routes = routes;
    this.#sink = sink;
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
    const channel = message.channel;
    // What faye would hand a subscription callback: data on a channel that is not meta.
    if (message.data !== undefined && !(typeof channel === 'string' && channel.startsWith('/meta/'))) {
      // A channel that is not a string (a malformed message) finds no route: keys are paths.
      const route = this.#routes.get(channel);
      if (route !== undefined) {
        try {
          this.#sink.receive(route.channel, message.data);
        } catch {
          // PushClient isolates user code itself; nothing may unwind into faye.
        }
      }
      // Not called back: faye would only distribute it, to a callback that ignores it.
      if (message.successful === undefined && message.advice === undefined) return;
      // A reply (a caller waits on `successful`) or advice (faye applies it) still goes on,
      // without its data: faye's routing throws on a channel name it cannot parse.
      message.data = undefined;
    }
    try {
      this.#watch(message, channel);
    } finally {
      callback(message);
    }
  }

  #watch(message: BayeuxMessage, channel: string): void {
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
  }
}
