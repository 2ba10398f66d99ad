import {
  directMessageChannel,
  groupChannel,
  userChannel,
  type PushChannel,
} from '../events/channel.js';
import { parsePushMessage } from '../events/parse.js';
import type { PushEvent, PushEventMap } from '../events/types.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ClientStateError } from '../errors/client-state-error.js';
import { ClientStoppedError } from '../errors/client-stopped-error.js';
import { GroupMePushError } from '../errors/groupme-push-error.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { GroupMeApi } from '../rest/groupme-api.js';
import { FayeTransport } from '../transport/faye-transport.js';
import type { ConnectionState, StateChange } from './connection-state.js';
import { conversationChannels, listConversations } from '../rest/conversations.js';
import { EventStream } from './event-stream.js';
import { resolveOptions, type PushClientOptions, type ResolvedOptions } from './options.js';
import { SafeEmitter } from './safe-emitter.js';

/** Everything a PushClient emits: each push event by its type, plus lifecycle events. */
export interface PushClientEvents extends PushEventMap {
  /** Every push event, whatever its type: one discriminated union to `switch` on. */
  event: PushEvent;
  /** Every connection state transition. */
  state: StateChange;
  /** A channel was acknowledged by the server. */
  subscribed: PushChannel;
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
 * A connection to GroupMe's push service that emits typed events.
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
  #state: ConnectionState = 'idle';
  #userId: string | undefined;
  #transport: FayeTransport | undefined;
  #starting: Promise<void> | undefined;
  #abort: AbortController | undefined;

  constructor(options: PushClientOptions) {
    super();
    this.#options = resolveOptions(options);
    this.api = new GroupMeApi({
      token: this.#options.token,
      apiUrl: this.#options.apiUrl,
      timeoutMs: this.#options.requestTimeoutMs,
      retry: this.#options.restRetry,
    });
  }

  /** Where the client is in its life; watch `state` events for changes. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Your GroupMe user id, known once `start()` has read it. */
  get userId(): string | undefined {
    return this.#userId;
  }

  /** The channels the client holds (or is acquiring). */
  get channels(): PushChannel[] {
    return [...this.#wanted.values()];
  }

  /**
   * Reads your user id, connects, and subscribes `/user/:id` (and with `subscribeAll`, every
   * active group and DM thread). Resolves once the server acknowledged each; rejects with
   * `AuthenticationError` for a bad token, never retrying it.
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
    const channels = conversationChannels(await listConversations(this.api, { signal: this.#abort?.signal }));
    await Promise.all(channels.map((channel) => this.#subscribe(channel)));
    return channels;
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
    this.#closeTransport();
    for (const stream of this.#streams) stream.end();
    this.#wanted.clear();
    if (this.#state !== 'stopped') this.#setState('stopped', 'stop');
    await this.#starting?.catch(() => undefined);
  }

  async #start(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    this.#setState('connecting', 'start');
    try {
      const me = await this.api.me({ signal: abort.signal });
      this.#throwIfAborted(abort);
      this.#userId = me.id;
      this.#openTransport();
      await this.#subscribe(userChannel(me.id));
      this.#throwIfAborted(abort);
      if (this.#options.subscribeAll) {
        const channels = conversationChannels(await listConversations(this.api, { signal: abort.signal }));
        this.#throwIfAborted(abort);
        await Promise.all(channels.map((channel) => this.#subscribe(channel)));
        this.#throwIfAborted(abort);
      }
      this.#setState('connected', 'start');
    } catch (error) {
      if (abort.signal.aborted) throw new ClientStoppedError('start()');
      this.#fail(error instanceof Error ? error : new Error(String(error)), 'start failed');
      throw error;
    }
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
    if (!this.#transport) {
      throw new ClientStateError(`Cannot do ${operation} while the client is ${this.#state}: call start() first.`);
    }
  }

  #openTransport(): void {
    this.#transport = new FayeTransport(
      {
        url: this.#options.pushUrl,
        token: this.#options.token,
        subscribeTimeoutMs: this.#options.subscribeTimeoutMs,
        retrySeconds: this.#options.fayeRetrySeconds,
      },
      {
        message: (channel, data) => this.#deliver(parsePushMessage(channel, data)),
        up: () => {
          if (this.#state === 'reconnecting') this.#setState('connected', 'transport up');
        },
        down: () => {
          if (this.#state === 'connected') {
            this.#setState('reconnecting', 'transport down', this.#options.fayeRetrySeconds * 1000);
          }
        },
        activity: () => undefined,
        channelLost: (channel, error) => {
          this.#wanted.delete(channel.path);
          if (error instanceof AuthenticationError) this.#fail(error, 'authentication failed');
          else this.emit('error', error);
        },
        handshakeRefused: (reason) => this.#fail(new HandshakeError(reason), 'handshake refused'),
      },
    );
  }

  #deliver(event: PushEvent): void {
    this.emit(event.type, event as never);
    this.emit('event', event);
  }

  #fail(error: Error, reason: string): void {
    this.#closeTransport();
    this.#wanted.clear();
    if (error instanceof GroupMePushError) this.emit('error', error);
    this.#setState('failed', reason, null, error);
  }

  #closeTransport(): void {
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
