import faye, { type Client, type FayeError, type Subscription } from 'faye';
import type { PushChannel } from '../events/channel.js';
import { ClientStoppedError } from '../errors/client-stopped-error.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { createAuthExtension } from './auth-extension.js';
import { parseBayeuxError, subscriptionFailure } from './bayeux-error.js';
import { createFailureWatch } from './failure-watch.js';
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
  message(channel: PushChannel, data: unknown): void;
  up(): void;
  down(): void;
  /** Any inbound frame, including meta replies: proof of life. */
  activity(): void;
  /** A channel this transport held was refused on faye's own re-subscribe: it is now dropped. */
  channelLost(channel: PushChannel, error: GroupMePushError): void;
  /** The server refused the handshake. */
  handshakeRefused(reason: string | null): void;
}

interface Entry {
  readonly channel: PushChannel;
  readonly subscription: Subscription;
  readonly ready: Promise<void>;
  acknowledged: boolean;
  fail(error: Error): void;
}

/**
 * One faye client and the channels it holds. Faye is a thin layer with traps (see
 * shared/protocol/faye-client-notes.md); this class is where they are handled: its own
 * channel registry (faye re-sends duplicate subscribes), errbacks always attached, a
 * timeout on every subscribe, every callback guarded, and a teardown that frees
 * everything. A transport is used once: after `destroy()` make a new one.
 */
export class FayeTransport {
  readonly #client: Client;
  readonly #options: FayeTransportOptions;
  readonly #handlers: FayeTransportHandlers;
  readonly #entries = new Map<string, Entry>();
  readonly #onUp = (): void => this.#guard(() => this.#handlers.up());
  readonly #onDown = (): void => {
    if (!this.#destroyed) this.#guard(() => this.#handlers.down());
  };
  #destroyed = false;

  constructor(options: FayeTransportOptions, handlers: FayeTransportHandlers) {
    this.#options = options;
    this.#handlers = handlers;
    this.#client = new faye.Client(options.url, { retry: options.retrySeconds });
    this.#client.addExtension(createAuthExtension(options.token));
    this.#client.addExtension(
      createFailureWatch({
        onActivity: () => {
          if (!this.#destroyed) this.#handlers.activity();
        },
        onSubscribeRefused: (path, error) => this.#onRefused(path, error),
        onHandshakeRefused: (error) => {
          if (!this.#destroyed) this.#handlers.handshakeRefused(error);
        },
      }),
    );
    this.#client.on('transport:up', this.#onUp);
    this.#client.on('transport:down', this.#onDown);
  }

  /** The channels held or being acknowledged. */
  get channels(): PushChannel[] {
    return [...this.#entries.values()].map((entry) => entry.channel);
  }

  has(channel: PushChannel): boolean {
    return this.#entries.has(channel.path);
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

    const subscription = this.#client.subscribe(channel.path, (data) => {
      if (this.#destroyed) return;
      // Inline rather than #guard(): this runs per message, and a closure per call shows up.
      try {
        this.#handlers.message(channel, data);
      } catch {
        // PushClient isolates user code itself; nothing may unwind into faye.
      }
    });
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
        settle.reject(subscriptionFailure(channel.path, error));
      },
    );
    return ready;
  }

  /** Stops receiving a channel. */
  unsubscribe(channel: PushChannel): void {
    const entry = this.#entries.get(channel.path);
    if (!entry) return;
    this.#drop(channel.path);
    entry.fail(new ClientStoppedError(`subscribing to ${channel.path}`));
  }

  /** Frees the faye client, its timers and sockets, synchronously; pending subscribes reject. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#client.removeListener('transport:up', this.#onUp);
    this.#client.removeListener('transport:down', this.#onDown);
    for (const entry of this.#entries.values()) entry.fail(new ClientStoppedError(`subscribing to ${entry.channel.path}`));
    this.#entries.clear();
    tearDownFayeClient(this.#client);
  }

  #onRefused(path: string, error: string | null): void {
    const entry = this.#entries.get(path);
    // A first subscribe's refusal reaches its errback; only faye's silent re-subscribes land here.
    if (this.#destroyed || !entry?.acknowledged) return;
    this.#drop(path);
    this.#handlers.channelLost(entry.channel, subscriptionFailure(path, parseBayeuxError(error)));
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
