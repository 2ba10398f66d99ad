import { ListenerError } from '../errors/listener-error.js';

/** A listener for one event. It may be async: a promise it returns is awaited before the conversation's next event. */
export type Listener<T> = (payload: T) => unknown;

interface Registration {
  readonly fn: Listener<never>;
  readonly once: boolean;
}

/**
 * The listeners of an emitter, by event name, and the one way to call them: each isolated
 * from the others. A listener that throws, or returns a promise that rejects, is reported
 * as a `ListenerError` on `error`; with nobody listening to `error`, nothing is thrown
 * either, unlike Node's EventEmitter, because a bot's bug must not take the process down.
 * Apart from the emitter that shows it (`SafeEmitter`), so that the client's dispatcher
 * can call it directly, with no closure over the client in between.
 */
export class Listeners<Events extends { error: unknown }> {
  readonly #registrations = new Map<keyof Events, Registration[]>();

  add<K extends keyof Events>(name: K, listener: Listener<Events[K]>, once: boolean): void {
    if (typeof listener !== 'function') throw new TypeError(`The listener for "${String(name)}" must be a function.`);
    const list = this.#registrations.get(name) ?? [];
    this.#set(name, [...list, { fn: listener as Listener<never>, once }]);
  }

  /** Removes one registration of `listener` (the latest). */
  remove<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    const list = this.#registrations.get(name);
    const index = list ? list.findLastIndex((r) => r.fn === listener) : -1;
    if (index >= 0) this.#without(name, list!, index);
  }

  count(name: keyof Events): number {
    return this.#registrations.get(name)?.length ?? 0;
  }

  /** Removes every listener of `name`, or of every event. */
  clear(name?: keyof Events): void {
    if (name === undefined) this.#registrations.clear();
    else this.#registrations.delete(name);
  }

  /**
   * Calls every listener of `name`. Returns a promise that settles once every promise a
   * listener returned has settled (it never rejects), or undefined when no listener
   * returned one: synchronous listeners cost no promise.
   */
  emit<K extends keyof Events>(name: K, payload: Events[K]): Promise<void> | undefined {
    const list = this.#registrations.get(name);
    if (!list) return undefined;
    let pending: Promise<void>[] | undefined;
    // Lists are replaced, never mutated, so this loop sees a stable snapshot.
    for (const registration of list) {
      // This very registration: after `once(x, f)` then `on(x, f)`, the once one.
      if (registration.once) this.#unregister(name, registration);
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

  #unregister(name: keyof Events, registration: Registration): void {
    const list = this.#registrations.get(name);
    const index = list ? list.indexOf(registration) : -1;
    if (index >= 0) this.#without(name, list!, index);
  }

  #without(name: keyof Events, list: Registration[], index: number): void {
    const next = list.slice();
    next.splice(index, 1);
    this.#set(name, next);
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
