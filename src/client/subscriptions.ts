import type { PushChannel } from '../events/channel.js';
import { SubscriptionError } from '../errors/subscription-error.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import type { GroupMeApi } from '../rest/groupme-api.js';
import type { FayeTransport } from '../transport/faye-transport.js';

/** What Subscriptions reports. */
export interface SubscriptionHooks {
  subscribed(channel: PushChannel): void;
  error(error: GroupMePushError): void;
}

/**
 * The channels the client wants, held again on every connection. A refused channel (a
 * group you left) is dropped with an error rather than sinking the connection; `/user` is
 * the exception, because without it nothing arrives.
 */
export class Subscriptions {
  readonly #api: GroupMeApi;
  readonly #hooks: SubscriptionHooks;
  readonly #wanted = new Map<string, PushChannel>();

  constructor(api: GroupMeApi, hooks: SubscriptionHooks) {
    this.#api = api;
    this.#hooks = hooks;
  }

  get channels(): PushChannel[] {
    return [...this.#wanted.values()];
  }

  has(channel: PushChannel): boolean {
    return this.#wanted.has(channel.path);
  }

  want(channel: PushChannel): void {
    this.#wanted.set(channel.path, channel);
  }

  drop(channel: PushChannel): void {
    this.#wanted.delete(channel.path);
  }

  clear(): void {
    this.#wanted.clear();
  }

  /** Subscribes every wanted channel on `transport`; rejects when the connection as a whole must be retried. */
  async holdAll(transport: FayeTransport, current: () => FayeTransport | undefined, signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.#wanted.values()].map((channel) => this.hold(channel, transport, current, signal)));
  }

  /** Subscribes one channel; a refusal of its own drops it (reported), anything else rejects. */
  async hold(channel: PushChannel, transport: FayeTransport, current: () => FayeTransport | undefined, signal?: AbortSignal): Promise<void> {
    try {
      await transport.subscribe(channel);
      this.#hooks.subscribed(channel);
    } catch (error) {
      if (current() !== transport) throw error;
      const refusal = await this.#judgeRefusal(error, signal);
      if (refusal === null || channel.kind === 'user') throw refusal ?? error;
      this.#wanted.delete(channel.path);
      this.#hooks.error(refusal);
    }
  }

  /**
   * What a refused subscribe means. A 401 may be the token, a channel that is not yours, or
   * a session GroupMe forgot (`401::Invalid client id`); `GET /users/me` settles the token
   * (rejecting with `AuthenticationError` when it is refused). Returns the refusal when it
   * is the channel's alone, and null when the connection as a whole must be retried.
   */
  async #judgeRefusal(error: unknown, signal: AbortSignal | undefined): Promise<SubscriptionError | null> {
    if (!(error instanceof SubscriptionError)) return null;
    if (error.status === 401) await this.#api.me({ signal });
    return error;
  }
}
