import type { PushChannel } from '../events/channel.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ClientStateError } from '../errors/client-state-error.js';
import { GroupMePushError } from '../errors/groupme-push-error.js';
import { SessionLostError } from '../errors/session-lost-error.js';
import type { FayeTransport } from '../transport/faye-transport.js';
import type { Connection } from './connection.js';
import type { Subscriptions } from './subscriptions.js';

/** What the subscribe calls need from the client around them. */
export interface SubscribeCallHooks {
  /** Waits for a `start()` under way; throws a ClientStateError when nothing can be subscribed now. */
  ready(operation: string): Promise<void>;
  /** A channel was held for the first time. */
  subscribed(channel: PushChannel): void;
  error(error: GroupMePushError): void;
}

type Waiter = { resolve(): void; reject(error: Error): void };

/**
 * Subscribes asked for while the client runs: by `subscribeGroup()` and the like (a promise
 * the caller awaits), and by `subscribeAll` for a conversation that turned up later (no
 * caller: a failure is reported). A refusal is judged (see `Subscriptions.judge`), and what
 * it revealed about the whole connection goes through the connection's funnel: a lost
 * session rebuilds it, a refused token ends the client. A caller whose connection was
 * rebuilt under it waits for the next one, which holds every wanted channel.
 */
export class SubscribeCalls {
  readonly #subscriptions: Subscriptions;
  readonly #connection: () => Connection;
  readonly #hooks: SubscribeCallHooks;
  readonly #waiting = new Set<Waiter>();

  /** `connection` is read when a call is made: the client builds it after this. */
  constructor(subscriptions: Subscriptions, connection: () => Connection, hooks: SubscribeCallHooks) {
    this.#subscriptions = subscriptions;
    this.#connection = connection;
    this.#hooks = hooks;
  }

  /** Holds `channel` on the current connection; resolves once the server acknowledged it. */
  async subscribe(channel: PushChannel): Promise<void> {
    await this.#hooks.ready(`subscribing to ${channel.path}`);
    const connection = this.#connection();
    const known = this.#subscriptions.has(channel);
    this.#subscriptions.want(channel);
    for (;;) {
      const transport = connection.transport!;
      try {
        await transport.subscribe(channel);
        break;
      } catch (error) {
        const failure = await this.#failureOf(error, channel, transport);
        if (failure !== null) {
          if (!known) this.#subscriptions.drop(channel);
          throw failure;
        }
      }
      // The connection was rebuilt under this call: the next one holds every wanted channel.
      await this.#nextConnection();
      if (!this.#subscriptions.has(channel)) throw new ClientStateError(`The subscription to ${channel.path} was refused when the connection was rebuilt.`);
      if (connection.transport) return;
    }
    if (!known) this.#hooks.subscribed(channel);
  }

  /** Holds `channel` too, with no caller to answer: a failure is reported, or left to the next connection. */
  subscribeLater(channel: PushChannel): void {
    const transport = this.#connection().transport;
    if (!transport || this.#subscriptions.has(channel)) return;
    this.#subscriptions.want(channel);
    const current = (): FayeTransport | undefined => this.#connection().transport;
    void this.#subscriptions.hold(channel, transport, current).catch((error: unknown) => {
      // A subscribe that timed out or could not be judged leaves the channel to the next connection.
      if (!this.#endFor(error, transport) && current() === transport && error instanceof GroupMePushError) this.#hooks.error(error);
    });
  }

  /** A connection is up (null) or the client is done (its error): callers waiting for one go on. */
  settle(error: Error | null): void {
    for (const waiter of this.#waiting) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
    this.#waiting.clear();
  }

  /**
   * Why a subscribe on `transport` failed: null when the connection was (or is now being)
   * rebuilt under it, so that the next one holds the channel; otherwise the error for the
   * caller. A refusal is judged first, never taken at its word.
   */
  async #failureOf(error: unknown, channel: PushChannel, transport: FayeTransport): Promise<unknown> {
    const connection = this.#connection();
    if (this.#over()) return error;
    if (connection.transport !== transport) return null;
    try {
      return await this.#subscriptions.judge(error, channel, transport);
    } catch (verdict) {
      if (this.#endFor(verdict, transport) && verdict instanceof SessionLostError) return null;
      // Judging took a while: a connection rebuilt meanwhile holds the channel again.
      return this.#over() || connection.transport === transport ? verdict : null;
    }
  }

  /** A lost session or a refused token ends the connection through its funnel; true when it did. */
  #endFor(verdict: unknown, transport: FayeTransport): boolean {
    const connection = this.#connection();
    if (connection.transport !== transport) return false;
    if (verdict instanceof SessionLostError) connection.end({ kind: 'session-lost', error: verdict });
    else if (verdict instanceof AuthenticationError) connection.end({ kind: 'token-refused', error: verdict });
    else return false;
    return true;
  }

  #nextConnection(): Promise<void> {
    return new Promise((resolve, reject) => this.#waiting.add({ resolve, reject }));
  }

  /** Failed or stopped: nothing comes back. */
  #over(): boolean {
    const state = this.#connection().state;
    return state === 'stopped' || state === 'failed';
  }
}
