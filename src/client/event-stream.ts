import type { PushEvent } from '../events/types.js';
import { Queue } from './queue.js';

/** Settles an event's `handled` promise: true once the consumer moved past it, false when it was dropped unseen. */
type Settle = (handled: boolean) => void;

interface Entry {
  readonly event: PushEvent;
  readonly settle: Settle;
}

type Waiter = { resolve(result: IteratorResult<PushEvent>): void; reject(error: unknown): void };

/**
 * One `events()` loop. The client hands it each event and waits (per conversation) until
 * the consumer has asked for the next one: that is when the event counts as handled and its
 * conversation's cursor may move. So the buffer never holds more than one event per
 * conversation; the rest wait in the client's bounded conversation queues. An event handed
 * to a `next()` while more `next()` calls are waiting counts as handled at once: the
 * consumer has already asked for the one after it (so concurrent `next()` calls all settle,
 * even when their events belong to one conversation).
 *
 * It ends when `return()` is called, `signal` aborts or the client stops (the loop
 * finishes), or when the client fails (the pending or next `next()` rejects with the final
 * error once, then the loop is done). Events the consumer was given count as handled then;
 * events still buffered, never yielded, are dropped: their `handled` promise says false, so
 * their cursors do not move and a persistent cursor store delivers them again after a
 * restart.
 */
export class EventStream implements AsyncIterableIterator<PushEvent> {
  readonly #signal: AbortSignal | undefined;
  readonly #onEnd: (stream: EventStream) => void;
  readonly #buffer = new Queue<Entry>();
  readonly #waiters = new Queue<Waiter>();
  /** Events the consumer has been given and not yet moved past. */
  readonly #inHand: Settle[] = [];
  #done = false;
  #error: { readonly value: unknown } | undefined;
  readonly #onAbort = (): void => this.end();

  constructor(signal: AbortSignal | undefined, onEnd: (stream: EventStream) => void) {
    this.#signal = signal;
    this.#onEnd = onEnd;
    if (signal?.aborted) this.end();
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /**
   * Offers an event. The promise resolves with true once the consumer has moved past it
   * (asked for the next event, or ended the loop after it was given this one), or with false
   * when the loop ended before yielding it: dropped, not handled, its cursor must not move.
   * Undefined when the loop has already ended (it takes nothing any more).
   */
  push(event: PushEvent): Promise<boolean> | undefined {
    if (this.#done) return undefined;
    return new Promise<boolean>((settle) => {
      const waiter = this.#waiters.shift();
      if (waiter) {
        // With another next() still waiting, the consumer has already asked for the event after this one.
        if (this.#waiters.length > 0) settle(true);
        else this.#inHand.push(settle);
        waiter.resolve({ value: event, done: false });
      } else {
        this.#buffer.push({ event, settle });
      }
    });
  }

  next(): Promise<IteratorResult<PushEvent>> {
    // Asking for the next event is what says the previous ones were handled.
    for (const settle of this.#inHand.splice(0)) settle(true);
    const entry = this.#buffer.shift();
    if (entry) {
      this.#inHand.push(entry.settle);
      return Promise.resolve({ value: entry.event, done: false });
    }
    if (this.#error) {
      const { value } = this.#error;
      this.#error = undefined;
      return Promise.reject(value);
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<PushEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PushEvent> {
    return this;
  }

  /** Ends the loop: pending and later `next()` calls resolve done. */
  end(): void {
    this.#finish(undefined);
  }

  /** Ends the loop with the client's final error: the pending (or next) `next()` rejects with it, once. */
  fail(error: unknown): void {
    this.#finish({ value: error });
  }

  #finish(error: { readonly value: unknown } | undefined): void {
    if (this.#done) return;
    this.#done = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onEnd(this);
    // Nobody will move past these any more; whoever waits on them must not wait forever. What
    // the consumer was given counts as handled; what it never saw is dropped, and says so.
    for (const settle of this.#inHand.splice(0)) settle(true);
    for (let entry = this.#buffer.shift(); entry; entry = this.#buffer.shift()) entry.settle(false);
    let waiter = this.#waiters.shift();
    if (waiter && error) {
      waiter.reject(error.value);
      waiter = this.#waiters.shift();
    } else if (error) {
      this.#error = error;
    }
    for (; waiter; waiter = this.#waiters.shift()) waiter.resolve({ value: undefined, done: true });
  }
}
