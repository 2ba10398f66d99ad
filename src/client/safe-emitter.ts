import { ListenerError } from '../errors/listener-error.js';

/** A listener for one event. It may be async: a promise it returns is awaited before the conversation's next event. */
export type Listener<T> = (payload: T) => unknown;

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

  /**
   * Calls every listener of `name`, each isolated from the others. A listener that throws,
   * or returns a promise that rejects, is reported as a `ListenerError` on `error`. Returns
   * a promise that settles once every promise a listener returned has settled (it never
   * rejects), or undefined when no listener returned one: synchronous listeners cost no
   * promise.
   */
  protected emit<K extends keyof Events>(name: K, payload: Events[K]): Promise<void> | undefined {
    const list = this.#registrations.get(name);
    if (!list) return undefined;
    let pending: Promise<void>[] | undefined;
    // Lists are replaced, never mutated, so this loop sees a stable snapshot.
    for (const registration of list) {
      if (registration.once) this.#remove(name, registration);
      try {
        const result: unknown = (registration.fn as Listener<Events[K]>)(payload);
        if (isThenable(result)) (pending ??= []).push(Promise.resolve(result).then(noop, (error: unknown) => this.#report(name, error)));
      } catch (error) {
        this.#report(name, error);
      }
    }
    return pending && Promise.all(pending).then(noop);
  }

  #report(name: keyof Events, error: unknown): void {
    if (name === 'error') return; // an error listener's own failure has nowhere left to go
    this.emit('error', new ListenerError(String(name), error) as Events['error']);
  }

  /** Removes this very registration: after `once(x, f)` then `on(x, f)`, the once one. */
  #remove(name: keyof Events, registration: Registration): void {
    const list = this.#registrations.get(name);
    const index = list?.indexOf(registration) ?? -1;
    if (!list || index < 0) return;
    const next = list.slice();
    next.splice(index, 1);
    this.#set(name, next);
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

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function noop(): void {}
