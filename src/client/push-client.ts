import { compareIds, directMessageChannel, groupChannel, userChannel, type PushChannel } from '../events/channel.js';
import { parsePushMessage } from '../events/parse.js';
import type { PushEvent, PushEventMap } from '../events/types.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ClientStateError } from '../errors/client-state-error.js';
import { ClientStoppedError } from '../errors/client-stopped-error.js';
import { GroupMePushError } from '../errors/groupme-push-error.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { LivenessError } from '../errors/liveness-error.js';
import { SessionLostError } from '../errors/session-lost-error.js';
import { SubscriptionError } from '../errors/subscription-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { Backoff } from '../recovery/backoff.js';
import { cursorKeyOf, fetchMissed, type CursorAccess } from '../recovery/catch-up.js';
import { chatCursorKey, groupCursorKey } from '../recovery/cursor-store.js';
import { LivenessWatch, probeWithin, type LivenessVerdict } from '../recovery/liveness.js';
import { SeenIds } from '../recovery/seen-ids.js';
import { listConversations, type Conversation } from '../rest/conversations.js';
import { GroupMeApi } from '../rest/groupme-api.js';
import { FayeTransport } from '../transport/faye-transport.js';
import type { ConnectionState, StateChange } from './connection-state.js';
import { EventStream } from './event-stream.js';
import { resolveOptions, type PushClientOptions, type ResolvedOptions } from './options.js';
import { SafeEmitter } from './safe-emitter.js';

/** A conversation whose history could not be read during a catch-up. */
export interface CatchUpFailure {
  readonly kind: 'group' | 'direct_message';
  /** The group id, or the DM thread as REST spells it (`lo+hi`). */
  readonly id: string;
  /** Why: an `ApiError` (404 for a group you left, 401 for one conversation...), a `NetworkError`... */
  readonly error: GroupMePushError;
}

/** What a catch-up after a (re)connect did. */
export interface CatchUpReport {
  /** Messages delivered with `origin: 'catch-up'` (duplicates of live ones not counted). */
  readonly delivered: number;
  /**
   * Listing the conversations failed, so nothing could be caught up; it is retried after a
   * backoff delay, from the cursors. Null when the listing worked.
   */
  readonly error: GroupMePushError | null;
  /**
   * Conversations whose history read failed. Each keeps its cursor and is retried after a
   * backoff delay; the others were caught up regardless.
   */
  readonly failures: readonly CatchUpFailure[];
}

/** Everything a PushClient emits: each push event by its type, plus lifecycle events. */
export interface PushClientEvents extends PushEventMap {
  /** Every push event, whatever its type: one discriminated union to `switch` on. */
  event: PushEvent;
  /** Every connection state transition. */
  state: StateChange;
  /** A channel was acknowledged by the server. */
  subscribed: PushChannel;
  /** A catch-up after a (re)connect finished. */
  'catch-up': CatchUpReport;
  /**
   * Something went wrong that you may want to log: a listener threw, a channel was lost,
   * the connection failed. Never thrown: with no listener it is simply not reported.
   */
  error: GroupMePushError;
}

/** Options for `events()`. */
export interface EventsOptions {
  /** Ends the loop when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * A connection to GroupMe's push service that emits typed events, and keeps itself alive:
 * it notices a silent socket, reconnects with backoff, and fetches over REST whatever was
 * published meanwhile, so each message reaches you exactly once.
 *
 * @example
 * const client = new PushClient({ token: process.env.GROUPME_TOKEN! });
 * client.on('line.create', (e) => console.log(`${e.message.name}: ${e.message.text}`));
 * await client.start();
 */
export class PushClient extends SafeEmitter<PushClientEvents> {
  /** The REST client this PushClient uses; handy for replies. */
  readonly api: GroupMeApi;
  readonly #options: ResolvedOptions;
  readonly #wanted = new Map<string, PushChannel>();
  readonly #streams = new Set<EventStream>();
  readonly #seen: SeenIds;
  readonly #cursors = new Map<string, string>();
  readonly #backoff: Backoff;
  /** Catch-up retries wait on their own schedule: a flaky REST API is not a flaky socket. */
  readonly #catchUpBackoff: Backoff;
  readonly #liveness: LivenessWatch;
  #state: ConnectionState = 'idle';
  #userId: string | undefined;
  #transport: FayeTransport | undefined;
  #starting: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #healthyTimer: ReturnType<typeof setTimeout> | undefined;
  #catchUpTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborts the running catch-up when its connection is replaced or the client stops. */
  #catchUpAbort: AbortController | undefined;
  /**
   * Live message events held back from the moment a connection is (re)built until its
   * catch-up is done, so each conversation is delivered in order and the cursors cannot
   * jump over the gap that catch-up is about to fill.
   */
  #held: PushEvent[] | undefined;
  /** True while any conversation may have a gap: live events then leave the cursors where they are. */
  #gapEverywhere = false;
  /** Conversations (cursor keys) whose last catch-up failed: their cursors wait for the retry. */
  readonly #gaps = new Set<string>();

  constructor(options: PushClientOptions) {
    super();
    this.#options = resolveOptions(options);
    this.api = new GroupMeApi({
      token: this.#options.token,
      apiUrl: this.#options.apiUrl,
      timeoutMs: this.#options.requestTimeoutMs,
      retry: this.#options.restRetry,
      rateLimit: this.#options.restRateLimit,
    });
    this.#seen = new SeenIds(this.#options.dedupeCapacity);
    this.#backoff = new Backoff(this.#options.reconnectBaseDelayMs, this.#options.reconnectMaxDelayMs);
    this.#catchUpBackoff = new Backoff(this.#options.reconnectBaseDelayMs, this.#options.reconnectMaxDelayMs);
    this.#liveness = new LivenessWatch(
      this.#options.liveness,
      () => this.#transport?.probe(userChannel(this.#userId!)) ?? Promise.resolve('refused'),
      (verdict) => this.#onDead(verdict),
    );
  }

  /** Where the client is in its life; watch `state` events for changes. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Your GroupMe user id, known once `start()` has read it. */
  get userId(): string | undefined {
    return this.#userId;
  }

  /** The channels the client holds, and gets back after every reconnect. */
  get channels(): PushChannel[] {
    return [...this.#wanted.values()];
  }

  /**
   * Reads your user id, connects, and subscribes `/user/:id` (and with `subscribeAll`, every
   * active group and DM thread). Resolves once the server acknowledged each; rejects with
   * `AuthenticationError` for a bad token, never retrying it. After that, the client
   * reconnects by itself until `stop()` or a final error.
   */
  start(): Promise<void> {
    if (this.#state === 'connected' || this.#state === 'reconnecting') return Promise.resolve();
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  /** Subscribes a group's channel (typing, reactions, edits, deletions). */
  subscribeGroup(groupId: string): Promise<void> {
    return this.#subscribe(groupChannel(String(groupId)));
  }

  /** Subscribes a DM thread's channel; `chatId` as REST spells it (`a+b`) or as push does (`a_b`). */
  subscribeDirectMessage(chatId: string): Promise<void> {
    return this.#subscribe(directMessageChannel(String(chatId)));
  }

  /** Subscribes every group you are an active member of and every DM thread (all pages). */
  async subscribeAll(): Promise<PushChannel[]> {
    await this.#ready('subscribeAll()');
    const channels = (await listConversations(this.api, { signal: this.#abort?.signal })).map(channelOf);
    await Promise.all(channels.map((channel) => this.#subscribe(channel)));
    return channels;
  }

  /**
   * Asks the push server a question it always answers, on the open connection (the same
   * probe the client sends by itself after a quiet spell), and resolves with the round trip
   * in milliseconds. Rejects with `SessionLostError` when the server refused it (the client
   * then rebuilds the connection by itself) and `TimeoutError` when no answer came within
   * `liveness.probeTimeoutMs`. Handy for a health check: GroupMe may send nothing at all on
   * a healthy connection for ten minutes.
   */
  async ping(): Promise<number> {
    await this.#ready('ping()');
    const transport = this.#transport!;
    const started = performance.now();
    const timeoutMs = this.#options.liveness.probeTimeoutMs;
    const outcome = await probeWithin(() => transport.probe(userChannel(this.#userId!)), timeoutMs);
    if (outcome === 'unanswered') throw new TimeoutError('a ping (a /meta/subscribe of /user)', timeoutMs);
    if (outcome === 'refused') {
      const error = new SessionLostError('a ping was refused');
      if (this.#transport === transport) this.#reconnect('session lost', error);
      throw error;
    }
    this.#liveness.touch();
    return performance.now() - started;
  }

  /**
   * Every event as an async iterator; the loop ends when `signal` aborts or the client stops.
   *
   * @example
   * for await (const event of client.events({ signal: AbortSignal.timeout(60_000) })) {
   *   if (event.type === 'line.create') console.log(event.message.text);
   * }
   */
  events(options: EventsOptions = {}): AsyncIterableIterator<PushEvent> {
    const stream = new EventStream(this, options.signal, (ended) => this.#streams.delete(ended));
    if (this.#state === 'stopped') stream.end();
    else this.#streams.add(stream);
    return stream;
  }

  /**
   * Disconnects and frees everything: sockets, timers, pending promises (they reject with
   * `ClientStoppedError`) and `events()` loops. The process can exit right after.
   */
  async stop(): Promise<void> {
    this.#abort?.abort(new ClientStoppedError('start()'));
    this.#halt();
    for (const stream of this.#streams) stream.end();
    this.#wanted.clear();
    if (this.#state !== 'stopped') this.#setState('stopped', 'stop');
    await this.#starting?.catch(() => undefined);
    try {
      await this.#options.cursorStore.flush?.();
    } catch (error) {
      this.emit('error', asPushError(error, 'CURSOR_STORE', 'The cursor store failed to flush.'));
    }
  }

  async #start(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    this.#backoff.reset();
    this.#setState('connecting', 'start');
    try {
      const me = await this.api.me({ signal: abort.signal });
      this.#throwIfAborted(abort);
      this.#userId = me.id;
      const own = userChannel(me.id);
      this.#wanted.set(own.path, own);
      // A persistent cursor store may remember messages from before this process: catch up.
      this.#beginHolding();
      await this.#connect();
      this.#throwIfAborted(abort);
      // Listed once `/user` (which carries every message) is held, so nothing published from
      // now on can slip between the listing and the stream; the same listing feeds catch-up.
      let listing: Conversation[] | undefined;
      if (this.#options.subscribeAll) {
        listing = await listConversations(this.api, { signal: abort.signal });
        this.#throwIfAborted(abort);
        for (const channel of listing.map(channelOf)) this.#wanted.set(channel.path, channel);
        await this.#subscribeWanted(this.#transport!);
        this.#throwIfAborted(abort);
      }
      this.#setState('connected', 'start');
      this.#scheduleHealthy();
      if (this.#options.catchUp) void this.#catchUp(listing);
    } catch (error) {
      if (abort.signal.aborted) throw new ClientStoppedError('start()');
      this.#fail(error instanceof Error ? error : new Error(String(error)), 'start failed');
      throw error;
    }
  }

  /** A fresh faye client holding every wanted channel; resolves once all are acknowledged. */
  async #connect(): Promise<void> {
    this.#openTransport();
    await this.#subscribeWanted(this.#transport!);
  }

  async #subscribeWanted(transport: FayeTransport): Promise<void> {
    await Promise.all(
      [...this.#wanted.values()].map(async (channel) => {
        try {
          await transport.subscribe(channel);
          this.emit('subscribed', channel);
        } catch (error) {
          if (this.#transport !== transport) throw error;
          const refusal = await this.#judgeRefusal(error);
          // One refused channel (you left the group) must not sink the connection: drop it.
          if (refusal === null || channel.kind === 'user') throw refusal ?? error;
          this.#wanted.delete(channel.path);
          this.emit('error', refusal);
        }
      }),
    );
  }

  /**
   * What a refused subscribe means. A 401 may be the token, a channel that is not yours, or
   * a session GroupMe forgot (`401::Invalid client id`); `GET /users/me` settles the token
   * (rejecting with `AuthenticationError` when it is refused). Returns the refusal when it
   * is the channel's alone, and null when the connection as a whole must be retried.
   */
  async #judgeRefusal(error: unknown): Promise<SubscriptionError | null> {
    if (!(error instanceof SubscriptionError)) return null;
    if (error.status === 401) await this.api.me({ signal: this.#abort?.signal });
    return error;
  }

  async #subscribe(channel: PushChannel): Promise<void> {
    await this.#ready(`subscribing to ${channel.path}`);
    const transport = this.#transport!;
    const known = this.#wanted.has(channel.path);
    this.#wanted.set(channel.path, channel);
    try {
      await transport.subscribe(channel);
    } catch (error) {
      if (this.#transport === transport && !known) this.#wanted.delete(channel.path);
      throw error;
    }
    if (!known) this.emit('subscribed', channel);
  }

  async #ready(operation: string): Promise<void> {
    if (!this.#transport && this.#starting && this.#state === 'connecting') await this.#starting;
    if (this.#state !== 'connected' && this.#state !== 'connecting' && this.#state !== 'reconnecting') {
      throw new ClientStateError(`Cannot do ${operation} while the client is ${this.#state}: call start() first.`);
    }
    // Between reconnect attempts there is no transport to acknowledge anything; rather than
    // a promise that waits an unknown time, the caller gets a clear error to retry on.
    if (!this.#transport) throw new ClientStateError(`Cannot do ${operation} while the client is reconnecting; try again once connected.`);
  }

  #openTransport(): void {
    this.#closeTransport();
    const transport = new FayeTransport(
      {
        url: this.#options.pushUrl,
        token: this.#options.token,
        subscribeTimeoutMs: this.#options.subscribeTimeoutMs,
        retrySeconds: this.#options.fayeRetrySeconds,
      },
      {
        message: (channel, data) => this.#receive(parsePushMessage(channel, data)),
        // faye's own recovery loses what is published meanwhile; ours catches it up.
        down: () => this.#reconnect('transport down', null),
        sessionLost: (error) => this.#reconnect('session lost', error),
        activity: () => this.#liveness.touch(),
        channelLost: (channel, error) => {
          this.#wanted.delete(channel.path);
          this.emit('error', error);
        },
        handshakeRefused: (reason) => this.#reconnect('handshake refused', new HandshakeError(reason)),
      },
    );
    this.#transport = transport;
    this.#liveness.start();
  }

  /** Tears the connection down and schedules a fresh one after the next backoff delay. */
  #reconnect(reason: string, error: GroupMePushError | null): void {
    if (this.#state !== 'connected' && this.#state !== 'reconnecting') return;
    this.#closeTransport();
    this.#clearTimers();
    const delay = this.#backoff.next();
    if (error) this.emit('error', error);
    this.#setState('reconnecting', reason, delay, error);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#attempt();
    }, delay);
  }

  #onDead(verdict: LivenessVerdict): void {
    if (verdict.kind === 'refused') this.#reconnect('session lost', new SessionLostError(verdict.detail));
    else this.#reconnect(verdict.kind === 'silent' ? 'connection silent' : 'process suspended', new LivenessError(verdict.detail));
  }

  async #attempt(): Promise<void> {
    this.#beginHolding();
    try {
      await this.#connect();
      if (this.#state !== 'reconnecting') return;
      this.#setState('connected', 'reconnected');
      this.#scheduleHealthy();
    } catch (error) {
      if (this.#state === 'stopped' || this.#state === 'failed') return;
      if (error instanceof AuthenticationError) return this.#fail(error, 'authentication failed');
      this.#reconnect('reconnect failed', asPushError(error, 'RECONNECT_FAILED', 'A reconnect attempt failed.'));
      return;
    }
    if (this.#options.catchUp) await this.#catchUp();
  }

  #beginHolding(): void {
    if (!this.#options.catchUp) return;
    this.#held ??= [];
    this.#gapEverywhere = true;
  }

  /**
   * Fetches over REST what was published while no connection listened, delivers it with
   * `origin: 'catch-up'`, then releases the held live events (duplicates dropped). Each
   * conversation is caught up on its own: one whose history read fails keeps its cursor
   * behind the gap and is retried after a backoff delay, while the others go on. Held
   * events are released either way (never withheld).
   */
  async #catchUp(listing?: Conversation[]): Promise<void> {
    clearTimeout(this.#catchUpTimer);
    const controller = new AbortController();
    this.#catchUpAbort = controller;
    const superseded = (): boolean => controller.signal.aborted || this.#state === 'stopped' || this.#state === 'failed';
    let delivered = 0;
    let failure: GroupMePushError | null = null;
    const failures: CatchUpFailure[] = [];
    const channel = userChannel(this.#userId!);
    const signal = controller.signal;
    try {
      const conversations = listing ?? (await listConversations(this.api, { signal }));
      for (const conversation of conversations) {
        const key = cursorKeyOf(conversation);
        try {
          for await (const missed of fetchMissed(this.api, conversation, this.#cursorAccess, { signal })) {
            if (superseded()) return;
            if (this.#deliver(parsePushMessage(channel, missed.payload, 'catch-up'), true)) delivered++;
          }
          this.#gaps.delete(key);
        } catch (error) {
          if (superseded() || error instanceof AuthenticationError) throw error;
          this.#gaps.add(key);
          const reason = asPushError(error, 'CATCH_UP_FAILED', `Catching up ${conversation.kind === 'group' ? 'group' : 'DM thread'} ${conversation.id} failed; it will be retried.`);
          failures.push({ kind: conversation.kind, id: conversation.id, error: reason });
          this.emit('error', reason);
        }
      }
      if (superseded()) return;
      this.#gapEverywhere = false;
    } catch (error) {
      // A newer connection runs its own catch-up, which the held events now wait for.
      if (superseded()) return;
      if (error instanceof AuthenticationError) return this.#fail(error, 'authentication failed');
      failure = asPushError(error, 'CATCH_UP_FAILED', 'Catching up over REST failed; it will be retried.');
      this.emit('error', failure);
    } finally {
      if (!superseded()) this.#releaseHeld();
      if (this.#catchUpAbort === controller) this.#catchUpAbort = undefined;
    }
    this.emit('catch-up', { delivered, error: failure, failures });
    if (!failure && failures.length === 0) this.#catchUpBackoff.reset();
    else if (this.#state === 'connected') this.#catchUpTimer = setTimeout(() => void this.#catchUp(), this.#catchUpBackoff.next());
  }

  #releaseHeld(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const event of held) this.#deliver(event, false);
  }

  readonly #cursorAccess: CursorAccess = {
    get: async (key) => {
      const cached = this.#cursors.get(key);
      if (cached !== undefined) return cached;
      const stored = await this.#options.cursorStore.get(key);
      // Cached only: writing back what the store just said would be wasted I/O.
      const current = this.#cursors.get(key);
      if (stored !== undefined && (current === undefined || compareIds(stored, current) > 0)) this.#cursors.set(key, stored);
      return this.#cursors.get(key);
    },
    advance: (key, id) => this.#advanceCursor(key, id),
  };

  #receive(event: PushEvent): void {
    if (this.#held && (event.type === 'line.create' || event.type === 'direct_message.create')) this.#held.push(event);
    else this.#deliver(event, false);
  }

  /** The one door out: drops duplicate messages, moves cursors, emits. Returns false for a duplicate. */
  #deliver(event: PushEvent, caughtUp: boolean): boolean {
    if (event.type === 'line.create' || event.type === 'direct_message.create') {
      if (!this.#seen.add(event.message.id)) return false;
      // Behind a gap only catch-up may move a cursor, or the gap would be skipped for good.
      const key = event.type === 'line.create' ? groupCursorKey(event.message.groupId) : chatCursorKey(event.message.chatId);
      if (caughtUp || (!this.#gapEverywhere && !this.#gaps.has(key))) this.#advanceCursor(key, event.message.id);
    }
    this.emit(event.type, event as never);
    this.emit('event', event);
    return true;
  }

  #advanceCursor(key: string, id: string): void {
    // After stop() the store has been flushed for the last time.
    if (this.#state === 'stopped') return;
    const current = this.#cursors.get(key);
    if (current !== undefined && compareIds(id, current) <= 0) return;
    this.#cursors.set(key, id);
    try {
      const pending = this.#options.cursorStore.set(key, id);
      if (pending) pending.catch((error: unknown) => this.emit('error', asPushError(error, 'CURSOR_STORE', 'The cursor store failed to save a cursor.')));
    } catch (error) {
      this.emit('error', asPushError(error, 'CURSOR_STORE', 'The cursor store failed to save a cursor.'));
    }
  }

  #scheduleHealthy(): void {
    clearTimeout(this.#healthyTimer);
    this.#healthyTimer = setTimeout(() => this.#backoff.reset(), this.#options.healthyAfterMs);
  }

  #fail(error: Error, reason: string): void {
    this.#halt();
    this.#wanted.clear();
    if (error instanceof GroupMePushError) this.emit('error', error);
    this.#setState('failed', reason, null, error);
  }

  /** Stops every moving part: transport, liveness watch, timers, a running catch-up. */
  #halt(): void {
    this.#closeTransport();
    this.#clearTimers();
    this.#held = undefined;
  }

  #clearTimers(): void {
    this.#catchUpAbort?.abort();
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#healthyTimer);
    clearTimeout(this.#catchUpTimer);
    this.#reconnectTimer = this.#healthyTimer = this.#catchUpTimer = undefined;
  }

  #closeTransport(): void {
    this.#liveness.stop();
    this.#transport?.destroy();
    this.#transport = undefined;
  }

  #throwIfAborted(abort: AbortController): void {
    if (abort.signal.aborted) throw new ClientStoppedError('start()');
  }

  #setState(current: ConnectionState, reason: string, retryInMs: number | null = null, error: Error | null = null): void {
    const previous = this.#state;
    if (previous === current && current !== 'reconnecting') return;
    this.#state = current;
    this.emit('state', { previous, current, reason, retryInMs, error });
  }
}

function channelOf(conversation: Conversation): PushChannel {
  return conversation.kind === 'group' ? groupChannel(conversation.id) : directMessageChannel(conversation.id);
}

function asPushError(error: unknown, code: string, message: string): GroupMePushError {
  return error instanceof GroupMePushError ? error : new GroupMePushError(code, message, { cause: error });
}
