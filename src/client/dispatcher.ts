import { isNewMessage } from '../events/new-message.js';
import type { PushEvent } from '../events/types.js';
import { GroupMePushError } from '../errors/groupme-push-error.js';
import type { DeliveryHooks } from './delivery.js';
import type { EventStream } from './event-stream.js';
import type { Listeners } from './listeners.js';
import type { PushClientEvents } from './push-client-events.js';
import type { Watermark } from './watermark.js';

const NO_STREAMS: readonly EventStream[] = Object.freeze([]);

/** Handled by all: no `events()` loop dropped the event (a listener's promise says nothing, a loop's says true or false). */
function noneDropped(results: readonly (boolean | void)[]): boolean {
  return !results.includes(false);
}

/**
 * The last step of delivery: hands each event to the client's listeners and to every
 * `events()` loop, and tells delivery when all of them have settled, and whether a loop
 * ended before yielding it (then the event was dropped, not handled: false).
 *
 * An object of its own, holding what it calls directly, rather than closures over the
 * client: with thousands of clients in a process, each function object, context and
 * object an event goes through is a load from memory that the next one waits on (issue
 * #13's pool bench, where CPU per event grew with the number of clients just as a chain
 * of dependent loads does).
 */
export class Dispatcher implements DeliveryHooks {
  readonly #listeners: Listeners<PushClientEvents>;
  readonly #watermark: Watermark;
  readonly #overflowed: () => void;
  readonly #maxQueued: number;
  /**
   * Replaced, never mutated, and one shared empty array while there are none: every event
   * reads it, and a per-client Set would be one more load per event for the clients (most)
   * that never iterate.
   */
  #streams: readonly EventStream[] = NO_STREAMS;

  /** `overflowed`: a message was dropped from a full queue, and its conversation must be caught up again. */
  constructor(listeners: Listeners<PushClientEvents>, watermark: Watermark, overflowed: () => void, maxQueued: number) {
    this.#listeners = listeners;
    this.#watermark = watermark;
    this.#overflowed = overflowed;
    this.#maxQueued = maxQueued;
  }

  dispatch(event: PushEvent, inSync: boolean): Promise<boolean | void> | undefined {
    if (inSync) this.#watermark.note(event);
    const byType = this.#listeners.emit(event.type, event as never);
    const any = this.#listeners.emit('event', event);
    let pending: Promise<boolean | void>[] | undefined;
    if (byType) (pending ??= []).push(byType);
    if (any) (pending ??= []).push(any);
    // Indexed: `for...of` over the frozen empty list is a builtin call per event in optimized code.
    const streams = this.#streams;
    for (let i = 0; i < streams.length; i++) {
      const handled = streams[i]!.push(event);
      if (handled) (pending ??= []).push(handled);
    }
    if (!pending) return undefined;
    return pending.length === 1 ? pending[0] : Promise.all(pending).then(noneDropped);
  }

  overflow(key: string, event: PushEvent): void {
    if (isNewMessage(event)) {
      // Dropped from memory only: the cursor is behind it, so a catch-up fetches it again.
      this.#overflowed();
      return;
    }
    this.#listeners.emit('error', new GroupMePushError('DELIVERY_OVERFLOW', `A ${event.type} event for ${key} was dropped: that conversation already had ${this.#maxQueued} events waiting for its listeners.`));
  }

  addStream(stream: EventStream): void {
    this.#streams = [...this.#streams, stream];
  }

  removeStream(stream: EventStream): void {
    const rest = this.#streams.filter((other) => other !== stream);
    this.#streams = rest.length === 0 ? NO_STREAMS : rest;
  }

  /** Every loop, handed over to be ended: none is left. */
  takeStreams(): readonly EventStream[] {
    const streams = this.#streams;
    this.#streams = NO_STREAMS;
    return streams;
  }
}
