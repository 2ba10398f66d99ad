import { isNewMessage } from '../events/new-message.js';
import type { PushEvent } from '../events/types.js';
import { SeenIds } from '../recovery/seen-ids.js';
import { conversationKeyOf } from './conversation-key.js';
import { Queue } from './queue.js';

/** What the delivery pipeline needs from the client around it. */
export interface DeliveryHooks {
  /**
   * Hands an event to every listener and iterator; the promise settles when all have. Never
   * rejects. It fulfils with false when an iterator ended before yielding the event (it was
   * dropped, not handled: its cursor must not move), with anything else when every listener
   * and iterator handled it. Undefined when nothing was left to wait for (synchronous
   * listeners only): the event was handled, and no promise was made for it.
   * `inSync`: no conversation may have a gap (the watermark may follow the event).
   */
  dispatch(event: PushEvent, inSync: boolean): Promise<boolean | void> | undefined;
  /**
   * A conversation's queue was full: the event was dropped from memory. For a message the
   * conversation is now behind its cursor and must be caught up over REST.
   */
  overflow(key: string, event: PushEvent): void;
}

/**
 * Where cursors move (the client's `CursorBook`), called directly rather than through a
 * hook: with thousands of clients in a process, each closure an event passes through is a
 * function object and a context more to bring into the cache (issue #13's pool bench).
 */
export interface CursorMover {
  /** Moves a conversation's cursor past a message whose listeners have all settled. Never rejects. */
  advance(key: string, messageId: string): Promise<void> | undefined;
}

interface ConversationQueue {
  readonly key: string;
  /** Live events, held while the conversation may have a gap before them. */
  readonly live: Queue<PushEvent>;
  /** Messages fetched over REST: never held, always delivered before the live ones. */
  readonly caughtUp: Queue<PushEvent>;
  /**
   * Ids of the messages in `live` still owed to the listeners. Catch-up takes an id out when
   * it fetches that message, so the live copy is dropped however many messages the gap held:
   * the dedupe window alone forgets a held copy once more than its capacity went out meanwhile.
   */
  readonly owed: Set<string>;
  running: boolean;
  /** Resolves the catch-up waiting for room in `caughtUp`. */
  room: (() => void) | undefined;
}

/**
 * The one door out for events: per conversation, in order, one event at a time. An event's
 * listeners (and iterators) settle before the next event of its conversation is handed
 * out and before the cursor moves past it, so a crash can only repeat the message in
 * flight, never skip one. Conversations are independent: a slow listener in one group does
 * not hold up another.
 *
 * While a conversation may have a gap (a connection was rebuilt and its catch-up has not
 * finished, or its catch-up failed and waits for a retry), its live events are held so
 * that nothing, not even a reaction or an edit, overtakes the messages catch-up is about to
 * deliver. Each queue is bounded: past `maxQueued`, a live message is dropped from memory
 * (the conversation is then behind its cursor, and `overflow` asks for a catch-up that
 * fetches it again), and any other event (typing, a reaction) is dropped and reported.
 *
 * Duplicates (a message live and again in catch-up, or on two channels) are dropped when
 * they reach the door, by a window of the last `dedupeCapacity` message ids, and a held
 * live message is dropped when catch-up fetches it, however long the gap (`owed`); catch-up
 * reads from the cursor, which only moves past delivered messages, so nothing older comes back.
 */
export class Delivery {
  readonly #hooks: DeliveryHooks;
  readonly #cursors: CursorMover;
  readonly #maxQueued: number;
  readonly #seen: SeenIds;
  readonly #queues = new Map<string, ConversationQueue>();
  /** True from a (re)connect until its catch-up has listed and walked every conversation. */
  #holdingAll = false;
  /** Conversations already caught up in the current round (released from `holdingAll`). */
  readonly #released = new Set<string>();
  /**
   * Conversations with a known gap, held until a catch-up of theirs succeeds, each with a
   * count of how often it was marked: a gap marked again while its catch-up ran (a queue
   * overflowed) is not closed by that catch-up, which may have read too early to see it.
   */
  readonly #gaps = new Map<string, number>();
  #marks = 0;
  #closed = false;
  /** `inSync`, kept in a field: read for every event, it then touches no map. */
  #inSync = true;
  /**
   * In sync and nothing queued: an event can go straight out. Kept in a field for the same
   * reason as `#inSync`: with thousands of clients in a process, every map an event looks
   * into is another cache miss (issue #13's pool bench).
   */
  #idle = true;

  constructor(hooks: DeliveryHooks, cursors: CursorMover, options: { readonly maxQueued: number; readonly dedupeCapacity: number }) {
    this.#hooks = hooks;
    this.#cursors = cursors;
    this.#maxQueued = options.maxQueued;
    this.#seen = new SeenIds(options.dedupeCapacity);
  }

  /** True when no conversation may have a gap: live traffic is all there is. */
  get inSync(): boolean {
    return this.#inSync;
  }

  /** Whether a message id went out recently (or is about to): catch-up counts only the new ones. */
  hasSeen(id: string): boolean {
    return this.#seen.has(id);
  }

  /** A connection is being (re)built: hold every conversation's live events until caught up. */
  holdAll(): void {
    this.#holdingAll = true;
    this.#released.clear();
    this.#refresh();
  }

  /** Marks a conversation as behind its cursor: its live events wait for its catch-up. */
  markGap(key: string): void {
    this.#gaps.set(key, ++this.#marks);
    this.#refresh();
  }

  /** Taken before a conversation's catch-up reads anything; `release` needs it back. */
  gapMark(key: string): number | undefined {
    return this.#gaps.get(key);
  }

  /**
   * A conversation's catch-up succeeded: its held live events go out, after what catch-up
   * delivered. `mark` is what `gapMark` said when that catch-up began: a gap marked since
   * stays open for the next round.
   */
  release(key: string, mark: number | undefined): void {
    if (this.#gaps.get(key) !== mark) return;
    this.#gaps.delete(key);
    this.#refresh();
    if (this.#holdingAll) this.#released.add(key);
    const queue = this.#queues.get(key);
    if (queue) this.#wake(queue);
  }

  /** The round of catch-up is over: every conversation without a known gap goes out. */
  releaseAll(): void {
    this.#holdingAll = false;
    this.#released.clear();
    this.#refresh();
    for (const queue of this.#queues.values()) this.#wake(queue);
  }

  /** A live event from the push stream. */
  pushLive(event: PushEvent): void {
    if (this.#closed) return;
    const key = conversationKeyOf(event);
    const existing = this.#idle ? undefined : this.#queues.get(key);
    if (!existing && (this.#idle || !this.#isHeld(key))) {
      // The common case, with nothing queued: no queue at all unless a listener makes us wait.
      const pending = this.#deliverOne(key, event);
      if (pending) {
        const queue = this.#queueOf(key);
        queue.running = true;
        void pending.then(() => this.#drain(queue));
      }
      return;
    }
    const queue = existing ?? this.#queueOf(key);
    if (queue.live.length >= this.#maxQueued) {
      if (isNewMessage(event)) this.markGap(key);
      this.#hooks.overflow(key, event);
      return;
    }
    queue.live.push(event);
    const id = messageIdOf(event);
    if (id !== undefined) queue.owed.add(id);
    this.#wake(queue);
  }

  /**
   * A message fetched over REST. Resolves once the conversation's queue has room again, so
   * a long gap behind a slow listener is read page by page instead of all into memory.
   */
  pushCaughtUp(event: PushEvent): Promise<void> | undefined {
    if (this.#closed) return undefined;
    const key = conversationKeyOf(event);
    const queue = this.#queueOf(key);
    const id = messageIdOf(event);
    if (id !== undefined) queue.owed.delete(id);
    queue.caughtUp.push(event);
    this.#wake(queue);
    if (queue.caughtUp.length < this.#maxQueued) return undefined;
    return new Promise((resolve) => {
      queue.room = resolve;
    });
  }

  /** Takes events again after `close()` (a client started again after `stop()`). */
  open(): void {
    this.#closed = false;
    this.#holdingAll = false;
    this.#released.clear();
    this.#gaps.clear();
    this.#refresh();
  }

  /** Drops everything queued; later pushes are ignored. Pending listeners run to their end. */
  close(): void {
    this.#closed = true;
    for (const queue of this.#queues.values()) {
      queue.live.clear();
      queue.caughtUp.clear();
      queue.room?.();
    }
    this.#queues.clear();
    this.#refresh();
  }

  #refresh(): void {
    this.#inSync = !this.#holdingAll && this.#gaps.size === 0;
    this.#idle = this.#inSync && this.#queues.size === 0;
  }

  #isHeld(key: string): boolean {
    if (key === '') return false;
    return this.#gaps.has(key) || (this.#holdingAll && !this.#released.has(key));
  }

  #queueOf(key: string): ConversationQueue {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = { key, live: new Queue(), caughtUp: new Queue(), owed: new Set(), running: false, room: undefined };
      this.#queues.set(key, queue);
      this.#idle = false;
    }
    return queue;
  }

  #wake(queue: ConversationQueue): void {
    if (queue.running || this.#closed) return;
    queue.running = true;
    this.#drain(queue);
  }

  /** Delivers until the queue is empty, held, or waiting on a listener; `running` is set by the caller. */
  #drain(queue: ConversationQueue): void {
    for (;;) {
      if (this.#closed) return;
      let event = queue.caughtUp.shift();
      if (event !== undefined && queue.room && queue.caughtUp.length < this.#maxQueued) {
        const room = queue.room;
        queue.room = undefined;
        room();
      }
      if (event === undefined && !this.#isHeld(queue.key)) {
        event = queue.live.shift();
        const id = event === undefined ? undefined : messageIdOf(event);
        // Fetched by catch-up while it waited here (or queued twice, from two channels).
        if (id !== undefined && !queue.owed.delete(id)) continue;
      }
      if (event === undefined) {
        queue.running = false;
        // A queue with nothing held and nothing in it is forgotten: one per active conversation, not per conversation ever seen.
        if (queue.live.length === 0 && queue.caughtUp.length === 0) {
          this.#queues.delete(queue.key);
          this.#refresh();
        }
        return;
      }
      const pending = this.#deliverOne(queue.key, event);
      if (pending) {
        void pending.then(() => this.#drain(queue));
        return;
      }
    }
  }

  /**
   * Hands out one event and moves its cursor once every listener has settled, unless an
   * iterator dropped it unseen or delivery was closed meanwhile (`stop()` or `failed`: what
   * was still in flight is delivered again after a restart rather than marked done).
   */
  #deliverOne(key: string, event: PushEvent): Promise<unknown> | undefined {
    const message = isNewMessage(event) ? event.message : undefined;
    if (message && !this.#seen.add(message.id)) return undefined;
    const dispatched = this.#hooks.dispatch(event, this.#inSync);
    if (!message) return dispatched;
    if (!dispatched) return this.#cursors.advance(key, message.id);
    return dispatched.then((handled) => (handled === false || this.#closed ? undefined : this.#cursors.advance(key, message.id)));
  }
}

function messageIdOf(event: PushEvent): string | undefined {
  return isNewMessage(event) ? event.message.id : undefined;
}
