import type { PushEvent } from '../events/types.js';

export interface EventStreamSource {
  on(name: 'event', listener: (event: PushEvent) => void): unknown;
  off(name: 'event', listener: (event: PushEvent) => void): unknown;
}

/**
 * Buffers events between the emitter (which never waits) and a `for await` loop (which
 * may). Ends when `signal` aborts or `end()` is called; ending removes its listener.
 */
export class EventStream implements AsyncIterableIterator<PushEvent> {
  readonly #source: EventStreamSource;
  readonly #signal: AbortSignal | undefined;
  readonly #buffer: PushEvent[] = [];
  #waiting: ((result: IteratorResult<PushEvent>) => void) | undefined;
  #done = false;
  readonly #onEvent = (event: PushEvent): void => {
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      resolve({ value: event, done: false });
    } else {
      this.#buffer.push(event);
    }
  };
  readonly #onAbort = (): void => this.end();
  readonly #onEnded: ((stream: EventStream) => void) | undefined;

  constructor(source: EventStreamSource, signal?: AbortSignal, onEnd?: (stream: EventStream) => void) {
    this.#source = source;
    this.#signal = signal;
    this.#onEnded = onEnd;
    source.on('event', this.#onEvent);
    if (signal?.aborted) this.end();
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  next(): Promise<IteratorResult<PushEvent>> {
    const event = this.#buffer.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<PushEvent>> {
    this.end();
    this.#buffer.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PushEvent> {
    return this;
  }

  /** Stops the stream: events already buffered are still yielded, then the loop ends. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#source.off('event', this.#onEvent);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onEnded?.(this);
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }
}
