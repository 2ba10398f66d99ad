import { directMessageChannel, groupChannel, userChannel, type PushChannel } from '../events/channel.js';
import type { PushEvent } from '../events/types.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ClientStateError } from '../errors/client-state-error.js';
import { ClientStoppedError } from '../errors/client-stopped-error.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import { Backoff } from '../recovery/backoff.js';
import { listConversations, type Conversation } from '../rest/conversations.js';
import { GroupMeApi } from '../rest/groupme-api.js';
import { CatchUpRunner } from './catch-up-runner.js';
import { Connection } from './connection.js';
import type { ConnectionState } from './connection-state.js';
import { CursorBook } from './cursor-book.js';
import { Delivery } from './delivery.js';
import { Dispatcher } from './dispatcher.js';
import { EventStream } from './event-stream.js';
import { Inbox } from './inbox.js';
import { Listeners } from './listeners.js';
import { resolveOptions, type PushClientOptions, type ResolvedOptions } from './options.js';
import type { PushClientEvents } from './push-client-events.js';
import { SafeEmitter } from './safe-emitter.js';
import { SubscribeCalls } from './subscribe-calls.js';
import { Subscriptions } from './subscriptions.js';
import { Watermark } from './watermark.js';

export type { CatchUpFailure, CatchUpReport } from './catch-up-runner.js';
export type { PushClientEvents } from './push-client-events.js';

/** Options for `events()`. */
export interface EventsOptions {
  /** Ends the loop when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * A connection to GroupMe's push service that emits typed events, and keeps itself alive:
 * it notices a silent socket, reconnects with backoff, and fetches over REST whatever was
 * published meanwhile, so each message reaches you exactly once in a process, and at least
 * once across crashes with a persistent cursor store.
 *
 * Listeners may be async: the client waits for every listener of an event (and every
 * `events()` loop to ask for the next one) before it hands out the next event of the same
 * conversation and before the conversation's cursor moves past it.
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
  readonly #book: CursorBook;
  readonly #delivery: Delivery;
  readonly #subscriptions: Subscriptions;
  readonly #connection: Connection;
  readonly #catchUp: CatchUpRunner;
  readonly #watermark: Watermark;
  readonly #dispatcher: Dispatcher;
  readonly #calls: SubscribeCalls;
  #userId: string | undefined;
  #starting: Promise<void> | undefined;
  #abort: AbortController | undefined;
  /** The final error once `failed`; events() loops started after that throw it. */
  #finalError: Error | null = null;

  constructor(options: PushClientOptions) {
    const listeners = new Listeners<PushClientEvents>();
    super(listeners);
    this.#options = resolveOptions(options);
    this.api = new GroupMeApi({
      token: this.#options.token,
      apiUrl: this.#options.apiUrl,
      timeoutMs: this.#options.requestTimeoutMs,
      retry: this.#options.restRetry,
      rateLimit: this.#options.restRateLimit,
    });
    const report = (error: GroupMePushError): void => void this.emit('error', error);
    const subscribed = (channel: PushChannel): void => void this.emit('subscribed', channel);
    this.#book = new CursorBook(this.#options.cursorStore, report);
    this.#watermark = new Watermark(this.#book);
    this.#dispatcher = new Dispatcher(listeners, this.#watermark, () => this.#catchUp.retryLater(), this.#options.maxQueuedPerConversation);
    this.#delivery = new Delivery(
      this.#dispatcher,
      this.#book,
      { maxQueued: this.#options.maxQueuedPerConversation, dedupeCapacity: this.#options.dedupeCapacity },
    );
    this.#subscriptions = new Subscriptions(
      { subscribed, error: report, tokenRefusal: () => this.#tokenRefusal() },
      this.#options.liveness.probeTimeoutMs,
    );
    this.#calls = new SubscribeCalls(this.#subscriptions, () => this.#connection, {
      ready: (operation) => this.#ready(operation),
      subscribed,
      error: report,
    });
    const catchUpBackoff = new Backoff(this.#options.reconnectBaseDelayMs, this.#options.reconnectMaxDelayMs);
    this.#catchUp = new CatchUpRunner(this.api, this.#delivery, this.#book, this.#watermark, catchUpBackoff, {
      userId: () => this.#userId!,
      connected: () => this.#connection.state === 'connected',
      listed: (conversations) => this.#subscribeNew(conversations),
      report: (result) => void this.emit('catch-up', result),
      error: report,
      refused: (error) => this.#connection.end({ kind: 'token-refused', error }),
    });
    const inbox = new Inbox(this.#delivery, this.#options.subscribeAll ? (channel) => this.#calls.subscribeLater(channel) : undefined);
    this.#connection = new Connection(this.#options, () => userChannel(this.#userId!), inbox, {
      subscribe: (transport) => this.#subscriptions.holdAll(transport, () => this.#connection.transport),
      tokenRefusal: () => this.#tokenRefusal(),
      connecting: () => {
        this.#catchUp.cancel();
        if (this.#options.catchUp) this.#delivery.holdAll();
      },
      reconnected: () => {
        this.#calls.settle(null);
        if (this.#options.catchUp) void this.#catchUp.run();
      },
      channelLost: (channel, error) => {
        this.#subscriptions.drop(channel);
        report(error);
      },
      state: (change) => void this.emit('state', change),
      error: report,
      ended: (error) => this.#ended(error),
    });
  }

  /** Where the client is in its life; watch `state` events for changes. */
  get state(): ConnectionState {
    return this.#connection.state;
  }

  /** Your GroupMe user id, known once `start()` has read it. */
  get userId(): string | undefined {
    return this.#userId;
  }

  /** The channels the client holds, and gets back after every reconnect. */
  get channels(): PushChannel[] {
    return this.#subscriptions.channels;
  }

  /**
   * Reads your user id, connects, and subscribes `/user/:id` (and with `subscribeAll`, every
   * active group and DM thread). Resolves once the server acknowledged each; rejects with
   * `AuthenticationError` for a bad token, never retrying it. After that, the client
   * reconnects by itself until `stop()` or a final error.
   */
  start(): Promise<void> {
    if (this.state === 'connected' || this.state === 'reconnecting') return Promise.resolve();
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  /** Subscribes a group's channel (typing, reactions, edits, deletions). */
  subscribeGroup(groupId: string): Promise<void> {
    return this.#calls.subscribe(groupChannel(String(groupId)));
  }

  /** Subscribes a DM thread's channel; `chatId` as REST spells it (`a+b`) or as push does (`a_b`). */
  subscribeDirectMessage(chatId: string): Promise<void> {
    return this.#calls.subscribe(directMessageChannel(String(chatId)));
  }

  /** Subscribes every group you are an active member of and every DM thread (all pages). */
  async subscribeAll(): Promise<PushChannel[]> {
    await this.#ready('subscribeAll()');
    const channels = (await listConversations(this.api, { signal: this.#abort?.signal })).map(channelOf);
    await Promise.all(channels.map((channel) => this.#calls.subscribe(channel)));
    return channels;
  }

  /**
   * Asks the push server a question it always answers, on the open connection (the same
   * probe the client sends by itself after a quiet spell), and resolves with the round trip
   * in milliseconds. Rejects with `SessionLostError` when the server refused it (the client
   * then rebuilds the connection by itself), `AuthenticationError` when it refused it
   * because the token was revoked (the client has failed), and `TimeoutError` when no answer came within
   * `liveness.probeTimeoutMs`. Handy for a health check: GroupMe may send nothing at all on
   * a healthy connection for ten minutes.
   */
  async ping(): Promise<number> {
    await this.#ready('ping()');
    return this.#connection.ping();
  }

  /**
   * Every event as an async iterator. The loop ends when `signal` aborts or the client
   * stops; when the client fails, the loop throws its final error (an
   * `AuthenticationError`, say). An event counts as handled, and its conversation's cursor
   * may move past it, once the loop asks for the next one; meanwhile that conversation's
   * next events wait in the client's queue, so the loop's buffer holds at most one event
   * per conversation. Iterators do not ride on `on()`: `removeAllListeners()` leaves them be.
   *
   * @example
   * for await (const event of client.events({ signal: AbortSignal.timeout(60_000) })) {
   *   if (event.type === 'line.create') console.log(event.message.text);
   * }
   */
  events(options: EventsOptions = {}): AsyncIterableIterator<PushEvent> {
    const stream = new EventStream(options.signal, (ended) => this.#dispatcher.removeStream(ended));
    if (this.state === 'stopped') stream.end();
    else if (this.state === 'failed') stream.fail(this.#finalError);
    else this.#dispatcher.addStream(stream);
    return stream;
  }

  /**
   * Disconnects and frees everything: sockets, timers, pending promises (they reject with
   * `ClientStoppedError`) and `events()` loops. The process can exit right after. Rejects
   * when the cursor store could not save the cursors (they would be lost otherwise).
   */
  async stop(): Promise<void> {
    this.#abort?.abort(new ClientStoppedError('start()'));
    this.#connection.end({ kind: 'stop' });
    await this.#starting?.catch(() => undefined);
    await this.#watermark.save();
    this.#book.close();
    await this.#book.flush();
  }

  async #start(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    this.#finalError = null;
    this.#delivery.open();
    this.#book.open();
    this.#connection.begin();
    try {
      const me = await this.api.me({ signal: abort.signal });
      this.#throwIfAborted(abort);
      this.#userId = me.id;
      this.#subscriptions.want(userChannel(me.id));
      await this.#connection.open(abort.signal);
      this.#throwIfAborted(abort);
      // Listed once `/user` (which carries every message) is held, so nothing published from
      // now on can slip between the listing and the stream; the same listing feeds catch-up.
      let listing: Conversation[] | undefined;
      if (this.#options.subscribeAll) {
        listing = await listConversations(this.api, { signal: abort.signal });
        this.#throwIfAborted(abort);
        for (const channel of listing.map(channelOf)) this.#subscriptions.want(channel);
        await this.#subscriptions.holdAll(this.#connection.transport!, () => this.#connection.transport);
        this.#throwIfAborted(abort);
      }
      this.#connection.established();
      this.#calls.settle(null);
      if (this.#options.catchUp) void this.#catchUp.run(listing);
    } catch (error) {
      if (abort.signal.aborted) throw this.#finalError ?? new ClientStoppedError('start()');
      this.#connection.end({ kind: 'start-failed', error });
      throw error;
    }
  }

  async #ready(operation: string): Promise<void> {
    if (!this.#connection.transport && this.#starting && this.state === 'connecting') await this.#starting;
    if (this.state !== 'connected' && this.state !== 'connecting' && this.state !== 'reconnecting') {
      throw new ClientStateError(`Cannot do ${operation} while the client is ${this.state}: call start() first.`);
    }
    // Between reconnect attempts there is no transport to acknowledge anything; rather than
    // a promise that waits an unknown time, the caller gets a clear error to retry on.
    if (!this.#connection.transport) throw new ClientStateError(`Cannot do ${operation} while the client is reconnecting; try again once connected.`);
  }

  /** With `subscribeAll`, a conversation a listing (or a live message) reveals gets its channel too. */
  #subscribeNew(conversations: readonly Conversation[]): void {
    if (!this.#options.subscribeAll) return;
    for (const conversation of conversations) this.#calls.subscribeLater(channelOf(conversation));
  }

  /** The client is done: `failed` (with its error) or `stopped` (null). Frees everything either way. */
  #ended(error: Error | null): void {
    if (error) this.#finalError = error;
    // What is in flight for the client (a subscribeAll() listing, start()'s requests) ends with it.
    this.#abort?.abort(error ?? new ClientStoppedError('start()'));
    this.#catchUp.cancel();
    this.#delivery.close();
    this.#subscriptions.clear();
    for (const stream of this.#dispatcher.takeStreams()) {
      if (error) stream.fail(error);
      else stream.end();
    }
    this.#calls.settle(error ?? new ClientStoppedError('waiting for the connection'));
  }

  #throwIfAborted(abort: AbortController): void {
    if (abort.signal.aborted) throw this.#finalError ?? new ClientStoppedError('start()');
  }

  /**
   * Asks `/users/me` whether the token is refused, within one probe timeout: a refused probe
   * or subscribe waits on this before its connection is rebuilt or its channel dropped, and
   * a slow or failing REST API must not hold a lost session's recovery for a whole retry
   * budget (null: it cannot tell).
   */
  async #tokenRefusal(): Promise<AuthenticationError | null> {
    const check = new AbortController();
    const timer = setTimeout(() => check.abort(), this.#options.liveness.probeTimeoutMs);
    const outer = this.#abort?.signal;
    const abort = (): void => check.abort();
    outer?.addEventListener('abort', abort, { once: true });
    try {
      await this.api.me({ signal: check.signal });
      return null;
    } catch (error) {
      return error instanceof AuthenticationError ? error : null;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', abort);
    }
  }
}

function channelOf(conversation: Conversation): PushChannel {
  return conversation.kind === 'group' ? groupChannel(conversation.id) : directMessageChannel(conversation.id);
}
