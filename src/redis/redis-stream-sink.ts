import type { Cluster, Redis } from 'ioredis';
import { SafeEmitter } from '../client/safe-emitter.js';
import type { PushEvent, PushEventType } from '../events/types.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import { RedisWriteError } from '../errors/redis-write-error.js';
import { SinkOverflowError } from '../errors/sink-overflow-error.js';
import { Backoff } from '../recovery/backoff.js';
import { sleep } from '../rest/sleep.js';
import { APPEND_SCRIPT, APPEND_SCRIPT_SHA, isNoScript } from './append-script.js';
import { BoundedQueue } from './bounded-queue.js';
import { claimKey, claimOf, clusterStreamKeyProblem, type DedupeScope } from './claim.js';
import { encodeStreamEntry } from './stream-entry.js';

/** The stream every account's events go to unless `stream` says otherwise. */
export const DEFAULT_STREAM_KEY = 'groupme:events';

/** How to build a {@link RedisStreamSink}. Only `redis` is required. */
export interface RedisStreamSinkOptions {
  /** An ioredis client (or Cluster). The sink never closes it. */
  readonly redis: Redis | Cluster;
  /**
   * The stream key, or a function of the account (and event) choosing it, e.g.
   * `(account) => \`groupme:{${account}}:events\`` for one stream per account.
   * Default `groupme:events`, one stream for every account. In a Redis Cluster, a key
   * with a `}` must carry a hash tag (its first `{` closed by a `}` with something
   * between), since its claims must share its slot; one that does not is a `TypeError`, from the
   * constructor or from `append()`.
   */
  readonly stream?: string | ((account: string, event: PushEvent) => string);
  /** Trim each stream to about this many entries (`XADD MAXLEN ~`). Default: no trimming. */
  readonly maxLen?: number;
  /** Whose duplicates are refused; see {@link DedupeScope}. Default `'account'`. */
  readonly dedupe?: DedupeScope;
  /** How long a new message's claim refuses its duplicates. Default 86,400 s (a day). */
  readonly messageClaimSeconds?: number;
  /** How long any other event's claim lives (reactions, typing...; never pings). Default 600 s. */
  readonly eventClaimSeconds?: number;
  /**
   * The most events held while Redis is slow or away. Default 10,000. When full, new
   * messages wait for room (and hold their conversation's cursor back) and other events
   * are dropped, each reported as a `SinkOverflowError`.
   */
  readonly maxBuffered?: number;
  /** Events written per round trip, at most. Default 200. */
  readonly batchSize?: number;
  /** Delays between failed writes: capped exponential backoff with jitter. Default 100 ms doubling to 5 s. */
  readonly retry?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number };
}

/** What became of one event. */
export type AppendOutcome = 'written' | 'duplicate' | 'dropped';

/** Running totals of a sink. */
export interface SinkStats {
  /** Entries appended. */
  readonly written: number;
  /** Events refused because their claim was already taken (another replica wrote them, or a retry). */
  readonly duplicates: number;
  /** Events dropped because the buffer was full (never a new message). */
  readonly dropped: number;
  /** Events in the buffer now. */
  readonly buffered: number;
  /** New messages waiting for room in the buffer now. */
  readonly waiting: number;
  /** Failed write attempts so far. */
  readonly failures: number;
}

/** Whether Redis takes writes, reported on each change. */
export interface SinkAvailability {
  readonly available: boolean;
  /** Events in the buffer at that moment. */
  readonly buffered: number;
}

/** What a sink emits. */
export interface RedisStreamSinkEvents {
  /** Redis stopped or started taking writes. */
  availability: SinkAvailability;
  /** A failed write (`RedisWriteError`, retried by itself) or a dropped event (`SinkOverflowError`). */
  error: GroupMePushError;
}

/** What {@link RedisStreamSink.attach} needs of a client: a `PushClient` fits. */
export interface EventSource {
  /** Registers the sink's listener; a client that awaits its listeners' promises keeps cursors behind the stream. */
  on(name: 'event', listener: (event: PushEvent) => void): unknown;
  /** Removes it (the function `attach()` returns calls this). */
  off(name: 'event', listener: (event: PushEvent) => void): unknown;
  readonly userId: string | undefined;
}

/** Options of {@link RedisStreamSink.attach}. */
export interface AttachOptions {
  /** The account's user id. Default: the client's `userId`, read at each event. */
  readonly account?: string;
  /** Only these event types are written; the others settle at once. Default: all but `ping`. */
  readonly types?: readonly PushEventType[];
}

interface Pending {
  readonly keys: string[];
  readonly args: string[];
  readonly settle: (outcome: AppendOutcome) => void;
}

const isNewMessage = (event: PushEvent): boolean => event.type === 'line.create' || event.type === 'direct_message.create';

/**
 * Appends push events to a Redis stream, each once: an event is claimed and appended by
 * one Lua script, so two processes holding the same account (replicas) and retries after
 * a lost reply cannot append it twice. A new message is refused as a duplicate for
 * `messageClaimSeconds` after its first copy, any other event (by a digest of its payload)
 * for `eventClaimSeconds`; pings are never refused.
 *
 * `append()` resolves only once the entry is written (or refused as a duplicate), and
 * never rejects: while Redis is away, events wait in a bounded buffer and are retried.
 * Attached to a client, whose cursors move only after its listeners settle, this keeps a
 * conversation's cursor behind every message not yet in the stream.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL!);
 * const sink = new RedisStreamSink({ redis, maxLen: 1_000_000 });
 * const client = new PushClient({ token, cursorStore: new RedisCursorStore({ redis, account: me.id }) });
 * sink.attach(client);
 * await client.start();
 */
export class RedisStreamSink extends SafeEmitter<RedisStreamSinkEvents> {
  readonly #redis: Redis | Cluster;
  readonly #stream: (account: string, event: PushEvent) => string;
  readonly #maxLen: string;
  readonly #dedupe: DedupeScope;
  readonly #ttls: { messageSeconds: number; eventSeconds: number };
  readonly #queue: BoundedQueue<Pending>;
  readonly #batchSize: number;
  readonly #backoff: Backoff;
  readonly #stop = new AbortController();
  #draining = false;
  #available = true;
  #idle: (() => void)[] = [];
  #written = 0;
  #duplicates = 0;
  #dropped = 0;
  #failures = 0;

  constructor(options: RedisStreamSinkOptions) {
    super();
    if (!options?.redis) throw new TypeError('RedisStreamSink needs an ioredis client (options.redis).');
    this.#redis = options.redis;
    const stream = options.stream ?? DEFAULT_STREAM_KEY;
    // A fixed key is checked once here; a chosen one each time it is chosen, and only in a
    // Cluster, the one place a key can be wrong: elsewhere each append calls the user's function alone.
    if (typeof stream === 'string') {
      this.#checkStreamKey(stream);
      this.#stream = () => stream;
    } else if (this.#redis.isCluster) {
      this.#stream = (account, event) => {
        const key = stream(account, event);
        this.#checkStreamKey(key);
        return key;
      };
    } else {
      this.#stream = stream;
    }
    this.#maxLen = options.maxLen === undefined ? '0' : String(positiveInteger(options.maxLen, 'maxLen'));
    this.#dedupe = options.dedupe ?? 'account';
    if (this.#dedupe !== 'account' && this.#dedupe !== 'message') throw new TypeError(`Option dedupe must be 'account' or 'message'; got ${String(this.#dedupe)}.`);
    this.#ttls = {
      messageSeconds: positiveInteger(options.messageClaimSeconds ?? 86_400, 'messageClaimSeconds'),
      eventSeconds: positiveInteger(options.eventClaimSeconds ?? 600, 'eventClaimSeconds'),
    };
    this.#queue = new BoundedQueue(positiveInteger(options.maxBuffered ?? 10_000, 'maxBuffered'));
    this.#batchSize = positiveInteger(options.batchSize ?? 200, 'batchSize');
    this.#backoff = new Backoff(options.retry?.baseDelayMs ?? 100, options.retry?.maxDelayMs ?? 5_000);
  }

  /** Running totals. */
  get stats(): SinkStats {
    return {
      written: this.#written,
      duplicates: this.#duplicates,
      dropped: this.#dropped,
      buffered: this.#queue.size,
      waiting: this.#queue.waiting,
      failures: this.#failures,
    };
  }

  /**
   * Writes one event received by `account`. Resolves once it is in the stream
   * (`'written'`), was refused as a duplicate (`'duplicate'`), or, for an event other than
   * a new message, was dropped for lack of room (`'dropped'`). Never rejects; after
   * `close()` an unwritten event's promise never settles, so nothing waiting on it can
   * take it for written.
   */
  append(account: string, event: PushEvent): Promise<AppendOutcome> {
    const stream = this.#stream(account, event);
    const claim = claimOf(account, event, this.#dedupe, this.#ttls);
    const fields = encodeStreamEntry(account, event);
    const keys = claim ? [stream, claimKey(stream, claim)] : [stream];
    const args = [String(claim?.ttlSeconds ?? 0), this.#maxLen];
    for (const [name, value] of Object.entries(fields)) args.push(name, value);
    return new Promise<AppendOutcome>((settle) => {
      const pending: Pending = { keys, args, settle };
      if (this.#queue.tryPut(pending)) return this.#kick();
      if (isNewMessage(event)) return void this.#queue.putWhenRoom(pending).then(() => this.#kick());
      this.#dropped++;
      this.emit('error', new SinkOverflowError(event.type, this.#queue.capacity));
      settle('dropped');
    });
  }

  /**
   * Writes every event `client` emits, as received by its account; returns a function that
   * detaches it. The listener settles only once its event is written, so a client that
   * awaits its listeners moves no cursor past an entry not yet in the stream.
   */
  attach(client: EventSource, options: AttachOptions = {}): () => void {
    const wanted = options.types && options.types.length > 0 ? new Set<string>(options.types) : null;
    const listener = async (event: PushEvent): Promise<void> => {
      if (wanted ? !wanted.has(event.type) : event.type === 'ping') return;
      const account = options.account ?? client.userId;
      // Events flow only after start() has read the user id; this is a misuse, not a Redis problem.
      if (account === undefined) throw new TypeError('The client has no userId yet: pass options.account to attach().');
      await this.append(account, event);
    };
    client.on('event', listener);
    return () => void client.off('event', listener);
  }

  /** Resolves once the buffer is empty (everything appended so far is written or refused). */
  drained(): Promise<void> {
    if (this.#queue.size === 0 && this.#queue.waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Stops writing. Events still buffered stay unwritten and their `append()` promises never
   * settle: stop the clients first, and `await drained()` before this to write everything.
   * The Redis client is left open.
   */
  close(): void {
    this.#stop.abort();
  }

  #kick(): void {
    if (this.#draining || this.#stop.signal.aborted) return;
    this.#draining = true;
    void this.#drain().finally(() => {
      this.#draining = false;
      // Something may have arrived between the last batch and the end of the loop.
      if (this.#queue.size > 0) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.size > 0 && !this.#stop.signal.aborted) {
      const batch = this.#queue.peek(this.#batchSize);
      const { settled, failure } = await this.#write(batch);
      this.#queue.remove(settled);
      if (failure === undefined) {
        // A shorter count without a failure means the script was reloaded: the rest goes again now.
        if (settled === batch.length) {
          this.#backoff.reset();
          this.#setAvailable(true);
        }
        continue;
      }
      this.#failures++;
      const delay = this.#backoff.next();
      this.#setAvailable(false);
      this.emit('error', new RedisWriteError(this.#queue.size, delay, failure));
      await sleep(delay, this.#stop.signal).catch(() => undefined);
    }
    if (this.#queue.size === 0 && this.#queue.waiting === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  #checkStreamKey(stream: string): void {
    const problem = this.#redis.isCluster ? clusterStreamKeyProblem(stream) : undefined;
    if (problem) throw new TypeError(problem);
  }

  /**
   * Sends a batch and settles its events in order, up to the first that failed. NOSCRIPT
   * (a restarted Redis forgot the script) loads the script and stops there with no
   * failure; the unsettled events are sent again.
   */
  async #write(batch: readonly Pending[]): Promise<{ settled: number; failure?: unknown }> {
    const replies = await this.#send(batch);
    for (let i = 0; i < batch.length; i++) {
      const [error, reply] = replies[i] ?? [new Error('Redis sent no reply for a pipelined command.'), null];
      if (error) {
        if (!isNoScript(error)) return { settled: i, failure: error };
        try {
          // Each master keeps its own script cache: in a Cluster, a load sent to one
          // random node would leave the others failing until chance reached them all.
          const nodes = this.#redis.isCluster ? (this.#redis as Cluster).nodes('master') : [this.#redis as Redis];
          await Promise.all(nodes.map((node) => node.script('LOAD', APPEND_SCRIPT)));
          return { settled: i };
        } catch (failure) {
          return { settled: i, failure };
        }
      }
      const appended = Array.isArray(reply) && Number(reply[0]) === 1;
      if (appended) this.#written++;
      else this.#duplicates++;
      batch[i]!.settle(appended ? 'written' : 'duplicate');
    }
    return { settled: batch.length };
  }

  /**
   * One pipeline for the batch, and in a Redis Cluster one per stream (a stream and its
   * claims share a slot): ioredis refuses, whole, a pipeline whose keys live on different
   * nodes. A reply per event, in batch order; a pipeline that failed gives its failure as
   * the reply of each of its events.
   */
  async #send(batch: readonly Pending[]): Promise<([Error | null, unknown] | undefined)[]> {
    const cluster = this.#redis.isCluster;
    const groups = new Map<string, number[]>();
    for (let i = 0; i < batch.length; i++) {
      const group = cluster ? batch[i]!.keys[0]! : '';
      const indexes = groups.get(group);
      if (indexes) indexes.push(i);
      else groups.set(group, [i]);
    }
    const replies: ([Error | null, unknown] | undefined)[] = [];
    await Promise.all(
      [...groups.values()].map(async (indexes) => {
        let got: [Error | null, unknown][];
        try {
          const pipeline = this.#redis.pipeline();
          for (const i of indexes) pipeline.evalsha(APPEND_SCRIPT_SHA, batch[i]!.keys.length, ...batch[i]!.keys, ...batch[i]!.args);
          got = (await pipeline.exec()) ?? [];
        } catch (failure) {
          const error = failure instanceof Error ? failure : new Error(String(failure));
          got = indexes.map(() => [error, null]);
        }
        indexes.forEach((i, k) => (replies[i] = got[k]));
      }),
    );
    return replies;
  }

  #setAvailable(available: boolean): void {
    if (this.#available === available) return;
    this.#available = available;
    this.emit('availability', { available, buffered: this.#queue.size });
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`Option ${name} must be a positive integer; got ${String(value)}.`);
  return value;
}
