import type { PushChannel } from '../events/channel.js';
import type { AuthenticationError } from '../errors/authentication-error.js';
import { SessionLostError } from '../errors/session-lost-error.js';
import { SubscriptionError } from '../errors/subscription-error.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import { probeWithin } from '../recovery/liveness.js';
import type { FayeTransport } from '../transport/faye-transport.js';

/** What Subscriptions reports. */
export interface SubscriptionHooks {
  subscribed(channel: PushChannel): void;
  error(error: GroupMePushError): void;
  /** `GET /users/me`'s word on the token: its refusal, or null when it accepts it or cannot tell. Never rejects. */
  tokenRefusal(): Promise<AuthenticationError | null>;
}

/**
 * The channels the client wants, held again on every connection. A refused channel (a
 * group you left) is dropped with an error rather than sinking the connection; `/user` is
 * the exception, because without it nothing arrives.
 */
export class Subscriptions {
  readonly #hooks: SubscriptionHooks;
  readonly #probeTimeoutMs: number;
  readonly #wanted = new Map<string, PushChannel>();

  /** `probeTimeoutMs`: how long a session may take to answer the probe that judges a refusal. */
  constructor(hooks: SubscriptionHooks, probeTimeoutMs: number) {
    this.#hooks = hooks;
    this.#probeTimeoutMs = probeTimeoutMs;
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
  async holdAll(transport: FayeTransport, current: () => FayeTransport | undefined): Promise<void> {
    await Promise.all([...this.#wanted.values()].map((channel) => this.hold(channel, transport, current)));
  }

  /** Subscribes one channel; a refusal of its own drops it (reported), anything else rejects. */
  async hold(channel: PushChannel, transport: FayeTransport, current: () => FayeTransport | undefined): Promise<void> {
    try {
      await transport.subscribe(channel);
      this.#hooks.subscribed(channel);
    } catch (error) {
      if (current() !== transport) throw error;
      const refusal = await this.judge(error, channel, transport);
      // A transport replaced meanwhile proves nothing about the channel: the next one holds it again.
      if (current() !== transport || channel.kind === 'user') throw refusal;
      this.#wanted.delete(channel.path);
      this.#hooks.error(refusal);
    }
  }

  /**
   * What a refused subscribe means, told by structure and by asking, never by the wording
   * of the error. A 401 may be the token, a channel that is not yours, or a session GroupMe
   * forgot (`401::Invalid client id` names no client, unlike faye's own `Unknown client`,
   * which the transport already reports as a lost session). So: `GET /users/me` settles
   * the token (rejecting with its `AuthenticationError`); with the token good (or `/users/me`
   * silent: a probe answered proves the token too, since it carries it), `/user/<you>` is
   * yours, so its refusal is the session's; for any other channel the session is asked a
   * question it always answers while alive (the liveness probe, sent after the refusal
   * arrived): an answer means the channel alone was refused. Resolves with that refusal;
   * rejects with `SessionLostError` when the session is what was refused, and with any
   * error that is not a refusal as it came.
   */
  async judge(error: unknown, channel: PushChannel, transport: FayeTransport): Promise<SubscriptionError> {
    if (!(error instanceof SubscriptionError)) throw error;
    if (error.status !== 401) return error;
    const tokenRefused = await this.#hooks.tokenRefusal();
    if (tokenRefused) throw tokenRefused;
    const user = [...this.#wanted.values()].find((wanted) => wanted.kind === 'user');
    if (channel.kind === 'user' || user === undefined) throw new SessionLostError('a subscribe was refused with 401 although GET /users/me did not refuse the token');
    // The probe needs `/user` held on this session: a refusal can arrive before its acknowledgement.
    await transport.subscribe(user).catch(() => {
      throw new SessionLostError('a subscribe was refused with 401 and /user could not be held to probe the session');
    });
    const outcome = await probeWithin(() => transport.probe(user), this.#probeTimeoutMs);
    if (outcome !== 'answered') throw new SessionLostError(`a subscribe was refused with 401 and the session's probe was ${outcome}`);
    return error;
  }
}
