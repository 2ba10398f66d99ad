import type { PushChannel } from '../events/channel.js';
import type { AuthenticationError } from '../errors/authentication-error.js';
import { GroupMePushError } from '../errors/groupme-push-error.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { LivenessError } from '../errors/liveness-error.js';
import { SessionLostError } from '../errors/session-lost-error.js';
import type { SubscriptionError } from '../errors/subscription-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { Backoff } from '../recovery/backoff.js';
import { sleep } from '../rest/sleep.js';
import { LivenessWatch, probeWithin, type LivenessVerdict } from '../recovery/liveness.js';
import type { MessageSink } from '../transport/faye-extension.js';
import { FayeTransport } from '../transport/faye-transport.js';
import type { ConnectionState, StateChange } from './connection-state.js';
import { endingFor, type EndCause } from './ending.js';
import type { ResolvedOptions } from './options.js';

/** What a Connection reports to the client around it. */
export interface ConnectionHooks {
  /** Subscribes every wanted channel on a fresh transport; rejects when the connection must be retried. */
  subscribe(transport: FayeTransport): Promise<void>;
  /**
   * Whether `GET /users/me` refuses the token now: the refusal when it does, null when it
   * accepts it or cannot tell. Never rejects. Asked when the server refused a probe, which
   * a revoked token explains as well as a lost session.
   */
  tokenRefusal(): Promise<AuthenticationError | null>;
  /** A connection is about to be (re)built: what is published from now on may follow a gap. */
  connecting(): void;
  /** Every wanted channel is acknowledged on a rebuilt connection. */
  reconnected(): void;
  channelLost(channel: PushChannel, error: SubscriptionError): void;
  state(change: StateChange): void;
  error(error: GroupMePushError): void;
  /** The client is done for good (`failed` with the error, or `stopped` with null): free everything. */
  ended(error: Error | null): void;
}

/**
 * The connection's life: one faye transport at a time, the liveness watch on it, the
 * backoff between attempts, and the state machine. Every end of a connection, whatever
 * noticed it, goes through `end()`, where `endingFor` decides: reconnect, fail or stop.
 * Each transport's reports are bound to it, so a transport already replaced cannot end
 * its successor, and one outage is one backoff step and one state change.
 */
export class Connection {
  readonly #options: ResolvedOptions;
  readonly #hooks: ConnectionHooks;
  /** Where every transport hands its messages' data. */
  readonly #sink: MessageSink;
  readonly #backoff: Backoff;
  readonly #liveness: LivenessWatch;
  readonly #probeChannel: () => PushChannel;
  #state: ConnectionState = 'idle';
  #transport: FayeTransport | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #healthyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ResolvedOptions, probeChannel: () => PushChannel, sink: MessageSink, hooks: ConnectionHooks) {
    this.#options = options;
    this.#sink = sink;
    this.#hooks = hooks;
    this.#probeChannel = probeChannel;
    this.#backoff = new Backoff(options.reconnectBaseDelayMs, options.reconnectMaxDelayMs);
    this.#liveness = new LivenessWatch(
      options.liveness,
      () => this.#transport?.probe(this.#probeChannel()) ?? Promise.resolve('refused'),
      (verdict) => this.#onDead(verdict),
      Date.now,
      () => this.#transport?.takeActivity() ?? false,
    );
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The transport of the current connection; undefined between attempts and after the end. */
  get transport(): FayeTransport | undefined {
    return this.#transport;
  }

  /** `start()` begins: state `connecting`, a fresh backoff. */
  begin(): void {
    this.#backoff.reset();
    this.#setState('connecting', 'start');
  }

  /**
   * `start()`'s first connection; rejects as `hooks.subscribe` does (the caller then ends
   * the client), except for a lost session: GroupMe may refuse a fresh session's subscribe
   * as an unknown or invalid client, which a new handshake cures. So a lost session is a
   * new connection after a backoff step, for as long as one subscribe may wait
   * (`subscribeTimeoutMs`); then the SessionLostError is final for this `start()`.
   */
  async open(signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.#options.subscribeTimeoutMs;
    for (;;) {
      this.#hooks.connecting();
      const transport = this.#openTransport();
      try {
        await this.#hooks.subscribe(transport);
        return;
      } catch (error) {
        const delay = this.#backoff.next();
        if (!(error instanceof SessionLostError) || this.#transport !== transport || Date.now() + delay > deadline) throw error;
        this.#closeTransport();
        await sleep(delay, signal);
      }
    }
  }

  /** `start()` is done: the client is connected. */
  established(): void {
    if (this.#state !== 'connecting') return;
    this.#setState('connected', 'start');
    this.#scheduleHealthy();
  }

  /**
   * Asks the push server a question it always answers, and resolves with the round trip in
   * milliseconds; a refusal ends the connection (the client rebuilds it) and rejects.
   */
  async ping(): Promise<number> {
    const transport = this.#transport!;
    const started = performance.now();
    const timeoutMs = this.#options.liveness.probeTimeoutMs;
    const outcome = await probeWithin(() => transport.probe(this.#probeChannel()), timeoutMs);
    if (outcome === 'unanswered') throw new TimeoutError('a ping (a /meta/subscribe of /user)', timeoutMs);
    if (outcome === 'refused') {
      throw await this.#probeRefused(transport, new SessionLostError('a ping was refused'));
    }
    this.#liveness.touch();
    return performance.now() - started;
  }

  /** The one funnel every end of a connection goes through. */
  end(cause: EndCause): void {
    const { recovery, reason, error } = endingFor(cause);
    switch (recovery) {
      case 'reconnect': {
        // While start() runs it decides itself; once failed or stopped, nothing comes back.
        if (this.#state !== 'connected' && this.#state !== 'reconnecting') return;
        this.#halt();
        const delay = this.#backoff.next();
        if (error instanceof GroupMePushError) this.#hooks.error(error);
        this.#setState('reconnecting', reason, delay, error);
        this.#reconnectTimer = setTimeout(() => {
          this.#reconnectTimer = undefined;
          void this.#attempt();
        }, delay);
        return;
      }
      case 'fail':
        if (this.#state === 'failed' || this.#state === 'stopped') return;
        this.#halt();
        if (error instanceof GroupMePushError) this.#hooks.error(error);
        this.#setState('failed', reason, null, error);
        this.#hooks.ended(error);
        return;
      case 'stop':
        if (this.#state === 'stopped') return;
        this.#halt();
        this.#setState('stopped', reason);
        this.#hooks.ended(null);
        return;
    }
  }

  async #attempt(): Promise<void> {
    this.#hooks.connecting();
    const transport = this.#openTransport();
    try {
      await this.#hooks.subscribe(transport);
    } catch (error) {
      // A transport already replaced was ended through the funnel by whatever replaced it.
      if (this.#transport === transport) this.end({ kind: 'attempt-failed', error });
      return;
    }
    if (this.#transport !== transport || this.#state !== 'reconnecting') return;
    this.#setState('connected', 'reconnected');
    this.#scheduleHealthy();
    this.#hooks.reconnected();
  }

  #openTransport(): FayeTransport {
    this.#closeTransport();
    const current = (): boolean => this.#transport === transport;
    const transport: FayeTransport = new FayeTransport(
      {
        url: this.#options.pushUrl,
        token: this.#options.token,
        subscribeTimeoutMs: this.#options.subscribeTimeoutMs,
        retrySeconds: this.#options.fayeRetrySeconds,
      },
      // The client's own sink, with no check and no closure of ours around it: a transport
      // is destroyed before it is replaced, and a destroyed one delivers nothing.
      this.#sink,
      {
        down: () => {
          if (current()) this.end({ kind: 'dropped' });
        },
        sessionLost: (error) => {
          if (current()) this.end({ kind: 'session-lost', error });
        },
        channelLost: (channel, error) => {
          if (current()) this.#hooks.channelLost(channel, error);
        },
        handshakeRefused: (reason) => {
          if (current()) this.end({ kind: 'handshake-refused', error: new HandshakeError(reason) });
        },
      },
    );
    this.#transport = transport;
    this.#liveness.start();
    return transport;
  }

  #onDead(verdict: LivenessVerdict): void {
    if (verdict.kind === 'refused') void this.#probeRefused(this.#transport, new SessionLostError(verdict.detail));
    else this.end({ kind: verdict.kind, error: new LivenessError(verdict.detail) });
  }

  /**
   * A refused probe is a lost session or a revoked token; `/users/me` tells which, so that
   * a revoked token ends the client at once instead of after a reconnect whose subscribe
   * is refused in turn. Resolves with the error the connection ended with.
   */
  async #probeRefused(transport: FayeTransport | undefined, lost: SessionLostError): Promise<AuthenticationError | SessionLostError> {
    const refusal = await this.#hooks.tokenRefusal();
    if (this.#transport === transport) {
      if (refusal) this.end({ kind: 'token-refused', error: refusal });
      else this.end({ kind: 'session-lost', error: lost });
    }
    return refusal ?? lost;
  }

  #scheduleHealthy(): void {
    clearTimeout(this.#healthyTimer);
    this.#healthyTimer = setTimeout(() => this.#backoff.reset(), this.#options.healthyAfterMs);
  }

  /** Stops every moving part of the connection: transport, liveness watch, timers. */
  #halt(): void {
    this.#closeTransport();
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#healthyTimer);
    this.#reconnectTimer = this.#healthyTimer = undefined;
  }

  #closeTransport(): void {
    this.#liveness.stop();
    const transport = this.#transport;
    this.#transport = undefined;
    transport?.destroy();
  }

  #setState(current: ConnectionState, reason: string, retryInMs: number | null = null, error: Error | null = null): void {
    const previous = this.#state;
    if (previous === current && current !== 'reconnecting') return;
    this.#state = current;
    this.#hooks.state({ previous, current, reason, retryInMs, error });
  }
}
