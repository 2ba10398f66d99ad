import { ListenerError } from '../errors/listener-error.js';

/** A listener for one event. */
export type Listener<T> = (payload: T) => void;

interface Registration {
  readonly fn: Listener<never>;
  readonly once: boolean;
}

/**
 * A typed event emitter whose `emit` isolates every listener: one that throws cannot stop
 * the others or unwind into the connection; its error is re-emitted as `error` (a
 * `ListenerError`). With nobody listening to `error`, nothing is thrown either, unlike
 * Node's EventEmitter, because a bot's bug must not take the process down. Works in
 * browsers too (no `node:events`).
 */
export class SafeEmitter<Events extends { error: unknown }> {
  readonly #registrations = new Map<keyof Events, Registration[]>();

  /** Calls `listener` for every `name` event until `off`. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
    return this.#add(name, listener, false);
  }

  /** Calls `listener` for the next `name` event only. */
  once<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
    return this.#add(name, listener, true);
  }

  /** Removes one registration of `listener` (the latest). */
  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
    const list = this.#registrations.get(name);
    if (!list) return this;
    const index = list.findLastIndex((r) => r.fn === listener);
    if (index >= 0) {
      const next = list.slice();
      next.splice(index, 1);
      this.#set(name, next);
    }
    return this;
  }

  /** How many listeners `name` has. */
  listenerCount(name: keyof Events): number {
    return this.#registrations.get(name)?.length ?? 0;
  }

  /** Removes every listener of `name`, or of every event. */
  removeAllListeners(name?: keyof Events): this {
    if (name === undefined) this.#registrations.clear();
    else this.#registrations.delete(name);
    return this;
  }

  /** Calls every listener of `name`, each isolated from the others. */
  protected emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const list = this.#registrations.get(name);
    if (!list) return;
    // Lists are replaced, never mutated, so this loop sees a stable snapshot.
    for (const registration of list) {
      if (registration.once) this.off(name, registration.fn as Listener<Events[K]>);
      try {
        (registration.fn as Listener<Events[K]>)(payload);
      } catch (error) {
        if (name === 'error') continue; // an error listener's own failure has nowhere left to go
        this.emit('error', new ListenerError(String(name), error) as Events['error']);
      }
    }
  }

  #add<K extends keyof Events>(name: K, listener: Listener<Events[K]>, once: boolean): this {
    if (typeof listener !== 'function') throw new TypeError(`The listener for "${String(name)}" must be a function.`);
    const list = this.#registrations.get(name) ?? [];
    this.#set(name, [...list, { fn: listener as Listener<never>, once }]);
    return this;
  }

  #set(name: keyof Events, list: Registration[]): void {
    if (list.length === 0) this.#registrations.delete(name);
    else this.#registrations.set(name, list);
  }
}
