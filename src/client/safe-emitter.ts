import { Listeners, type Listener } from './listeners.js';

/**
 * A typed event emitter whose `emit` isolates every listener: one that throws cannot stop
 * the others or unwind into the connection; its error is re-emitted as `error` (a
 * `ListenerError`). With nobody listening to `error`, nothing is thrown either, unlike
 * Node's EventEmitter, because a bot's bug must not take the process down. Works in
 * browsers too (no `node:events`).
 */
export class SafeEmitter<Events extends { error: unknown }> {
  readonly #listeners: Listeners<Events>;

  /** `listeners`: given by a subclass that also calls them from elsewhere (PushClient's dispatcher). */
  constructor(listeners: Listeners<Events> = new Listeners()) {
    this.#listeners = listeners;
  }

  /** Calls `listener` for every `name` event until `off`. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
    this.#listeners.add(name, listener, false);
    return this;
  }

  /** Calls `listener` for the next `name` event only. */
  once<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
    this.#listeners.add(name, listener, true);
    return this;
  }

  /** Removes one registration of `listener` (the latest). */
  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
    this.#listeners.remove(name, listener);
    return this;
  }

  /** How many listeners `name` has. */
  listenerCount(name: keyof Events): number {
    return this.#listeners.count(name);
  }

  /** Removes every listener of `name`, or of every event. */
  removeAllListeners(name?: keyof Events): this {
    this.#listeners.clear(name);
    return this;
  }

  /**
   * Calls every listener of `name`, each isolated from the others. Returns a promise that
   * settles once every promise a listener returned has settled (it never rejects), or
   * undefined when no listener returned one.
   */
  protected emit<K extends keyof Events>(name: K, payload: Events[K]): Promise<void> | undefined {
    return this.#listeners.emit(name, payload);
  }
}
