import faye, { type Client, type FayeError, type Subscription } from 'faye';
import type { PushChannel } from '../events/channel.js';
import { ClientStoppedError } from '../errors/client-stopped-error.js';
import { SessionLostError } from '../errors/session-lost-error.js';
import type { SubscriptionError } from '../errors/subscription-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { createAuthExtension, type AuthExtension } from './auth-extension.js';
import { namesSession, parseBayeuxError, subscriptionFailure } from './bayeux-error.js';
import { connectionTypeOf } from './connection-type.js';
import { FayeExtension, type MessageSink } from './faye-extension.js';
import { tearDownFayeClient } from './teardown.js';

export interface FayeTransportOptions {
  readonly url: string;
  readonly token: string;
  /** How long a subscribe may wait for its acknowledgement. */
  readonly subscribeTimeoutMs: number;
  /** faye's fixed re-send / re-handshake delay, in seconds. */
  readonly retrySeconds: number;
}

/** What the transport reports upward. It never calls back into the client otherwise. */
export interface FayeTransportHandlers {
  /** faye lost its transport (a socket closed, a request failed). */
  down(): void;
  /** The server forgot this session; whatever faye does next, messages were lost meanwhile. */
  sessionLost(error: SessionLostError): void;
  /** A channel this transport held was refused on faye's own re-subscribe: it is now dropped. */
  channelLost(channel: PushChannel, error: SubscriptionError): void;
  /** The server refused the handshake. */
  handshakeRefused(reason: string | null): void;
}

/** How a liveness probe ended; `unanswered` is the caller's verdict when it waited long enough. */
export type ProbeOutcome = 'answered' | 'refused' | 'unanswered';

const ignore = (): void => undefined;

interface Entry {
  readonly channel: PushChannel;
  readonly subscription: Subscription;
  readonly ready: Promise<void>;
  acknowledged: boolean;
  fail(error: Error): void;
}

/**
 * One faye client and the channels it holds. Faye is a thin layer with traps; this class
 * is where they are handled: its own channel registry (faye re-sends duplicate
 * subscribes), which is also what routes data to the sink (see FayeExtension), errbacks
 * always attached, a timeout on every subscribe, every callback guarded, a session watch
 * (faye re-handshakes quietly and loses what was published meanwhile), and a teardown
 * that frees everything. A transport is used once: after `destroy()` make a new one.
 */
export class FayeTransport {
  readonly #client: Client;
  readonly #auth: AuthExtension;
  readonly #extension: FayeExtension;
  readonly #options: FayeTransportOptions;
  readonly #handlers: FayeTransportHandlers;
  readonly #entries = new Map<string, Entry>();
  /** Channels with a liveness probe in flight: their refusals belong to the probe. */
  readonly #probing = new Set<string>();
  readonly #onDown = (): void => {
    if (!this.#destroyed) this.#guard(() => this.#handlers.down());
  };
  #clientId: string | null = null;
  #sessionLost = false;
  #destroyed = false;

  constructor(options: FayeTransportOptions, sink: MessageSink, handlers: FayeTransportHandlers) {
    this.#options = options;
    this.#handlers = handlers;
    this.#client = new faye.Client(options.url, { retry: options.retrySeconds });
    this.#auth = createAuthExtension({
      token: options.token,
      transportType: () => connectionTypeOf(this.#client),
      holdMs: options.subscribeTimeoutMs,
    });
    this.#extension = new FayeExtension(
      this.#entries,
      sink,
      {
        onHandshake: (clientId) => {
          const previous = this.#clientId;
          this.#clientId = clientId;
          if (previous !== null && previous !== clientId) this.#lose(`faye handshook again and got a new client id`);
        },
        onSubscribeRefused: (path, error) => this.#onRefused(path, parseBayeuxError(error)),
        onSessionRefused: (detail) => this.#lose(detail),
        onHandshakeRefused: (error) => {
          // After faye has finished with the reply: it applies the reply's advice and arms
          // its handshake retry once the extensions are done, which would revive a client
          // torn down from in here.
          queueMicrotask(() => {
            if (!this.#destroyed) this.#guard(() => this.#handlers.handshakeRefused(error));
          });
        },
      },
      this.#auth.outgoing,
    );
    // One extension, not two (it carries the token's half): faye runs its extension
    // pipeline for every message it receives, at a cost per extension. It also delivers
    // data messages to the sink, for the channels in #entries.
    this.#client.addExtension(this.#extension);
    this.#client.on('transport:down', this.#onDown);
  }

  /** Whether any message (data, meta reply or ping) arrived since the last call. */
  takeActivity(): boolean {
    return this.#extension.takeActivity();
  }

  /** Resolves once the server acknowledges the channel; idempotent per channel. */
  subscribe(channel: PushChannel): Promise<void> {
    if (this.#destroyed) return Promise.reject(new ClientStoppedError(`subscribing to ${channel.path}`));
    const existing = this.#entries.get(channel.path);
    if (existing) return existing.ready;

    let settle!: { resolve(): void; reject(error: Error): void };
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Unhandled-rejection noise is avoided for callers that only fire and forget.
    ready.catch(() => undefined);

    const timer = setTimeout(() => {
      this.#drop(channel.path);
      settle.reject(new TimeoutError(`the subscription to ${channel.path}`, this.#options.subscribeTimeoutMs));
    }, this.#options.subscribeTimeoutMs);

    // The callback never runs: the extension takes data messages before faye routes them.
    // faye still needs a listener to hold the channel and re-subscribe it after a re-handshake.
    const subscription = this.#client.subscribe(channel.path, ignore);
    const entry: Entry = {
      channel,
      subscription,
      ready,
      acknowledged: false,
      fail: (error) => {
        clearTimeout(timer);
        settle.reject(error);
      },
    };
    this.#entries.set(channel.path, entry);
    // Both callbacks, always: `then(onOk)` alone turns a faye failure into a success.
    subscription.then(
      () => {
        clearTimeout(timer);
        entry.acknowledged = true;
        settle.resolve();
      },
      (error: FayeError) => {
        clearTimeout(timer);
        if (this.#entries.get(channel.path) === entry) this.#entries.delete(channel.path);
        settle.reject(namesSession(error, this.#clientId) ? new SessionLostError('a subscribe was refused as an unknown client') : subscriptionFailure(channel.path, error));
      },
    );
    return ready;
  }

  /**
   * Asks the server something it always answers: a `/meta/subscribe` for a channel already
   * held (faye sends it again when forced). An answer proves the socket and the session
   * alive; a refusal means the session (or the token) is gone. The caller bounds the wait:
   * no answer at all means the socket is dead, however open it looks.
   */
  probe(channel: PushChannel): Promise<ProbeOutcome> {
    if (this.#destroyed || !this.#entries.get(channel.path)?.acknowledged) return Promise.resolve('refused');
    this.#probing.add(channel.path);
    return new Promise<ProbeOutcome>((resolve) => {
      const done = (outcome: ProbeOutcome): void => {
        this.#probing.delete(channel.path);
        resolve(outcome);
      };
      // `true` forces a new /meta/subscribe without adding a second listener to the channel.
      this.#client.subscribe(channel.path, true).then(
        () => done('answered'),
        () => done('refused'),
      );
    });
  }

  /** Frees the faye client, its timers, requests and sockets (see tearDownFayeClient); pending subscribes reject. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#client.removeListener('transport:down', this.#onDown);
    for (const entry of this.#entries.values()) entry.fail(new ClientStoppedError(`subscribing to ${entry.channel.path}`));
    this.#entries.clear();
    this.#auth.dispose();
    tearDownFayeClient(this.#client);
  }

  #onRefused(path: string, error: FayeError): void {
    const entry = this.#entries.get(path);
    // A first subscribe's refusal reaches its errback, a probe's its own; only faye's silent
    // re-subscribes land here.
    if (this.#destroyed || !entry?.acknowledged || this.#probing.has(path)) return;
    if (error.code === 401) {
      // A 401 on faye's quiet re-subscribe is the session's or the token's, never the
      // channel's (it was acknowledged before): the next connection's first subscribe settles which.
      this.#lose('faye re-subscribed and was refused');
      return;
    }
    this.#drop(path);
    this.#handlers.channelLost(entry.channel, subscriptionFailure(path, error));
  }

  /** Reported once, after faye has finished with the frame that revealed it. */
  #lose(detail: string): void {
    if (this.#destroyed || this.#sessionLost) return;
    this.#sessionLost = true;
    const error = new SessionLostError(detail);
    queueMicrotask(() => {
      if (!this.#destroyed) this.#guard(() => this.#handlers.sessionLost(error));
    });
  }

  #drop(path: string): void {
    const entry = this.#entries.get(path);
    if (!entry) return;
    this.#entries.delete(path);
    try {
      entry.subscription.cancel();
    } catch {
      // Cancelling on a broken transport can throw inside faye; the entry is gone either way.
    }
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch {
      // Handlers belong to PushClient, which isolates user code itself; nothing may unwind into faye.
    }
  }
}
