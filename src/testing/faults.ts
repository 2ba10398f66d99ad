import type { Socket } from 'node:net';

/** A REST failure to inject: the next `times` matching requests answer `status`. */
export interface RestFault {
  /** 429 and 500 are the usual ones; any status works. */
  readonly status: number;
  /** Default 1. */
  readonly times?: number;
  /** Sent as a `Retry-After` header, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Only requests whose path after `/v3` starts with this, e.g. `/groups`. Default: any. */
  readonly pathPrefix?: string;
}

/** An injected failure, as the REST handler answers it. */
export interface FaultAnswer {
  readonly status: number;
  readonly error: string;
  readonly retryAfterSeconds?: number;
}

/** `failNextRest`: a queue of faults, consumed by the requests they match, oldest first. */
export class RestFaults {
  readonly #queue: Array<{ readonly fault: RestFault; left: number }> = [];

  add(fault: RestFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNextRest: times must be a positive integer, not ${times}.`);
    this.#queue.push({ fault: { ...fault, pathPrefix: stripV3(fault.pathPrefix ?? '') }, left: times });
  }

  /** The fault this request hits, if any (and one use of it is spent). */
  take(path: string): FaultAnswer | undefined {
    const index = this.#queue.findIndex(({ fault }) => path.startsWith(fault.pathPrefix ?? ''));
    if (index < 0) return undefined;
    const entry = this.#queue[index]!;
    if (--entry.left <= 0) this.#queue.splice(index, 1);
    const { status, retryAfterSeconds } = entry.fault;
    return { status, error: errorText(status), ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
  }
}

/**
 * GroupMe's limiter, roughly: past `perSecond` requests within a second, per token, the
 * answer is 429, with no `Retry-After` (no source shows GroupMe sending one). Off when
 * `perSecond` is 0.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #recent = new Map<string, number[]>();

  constructor(perSecond: number) {
    this.#perSecond = perSecond;
  }

  check(token: string | undefined): FaultAnswer | undefined {
    if (this.#perSecond <= 0) return undefined;
    const now = Date.now();
    const key = token ?? '';
    const recent = (this.#recent.get(key) ?? []).filter((t) => now - t < 1000);
    recent.push(now);
    this.#recent.set(key, recent);
    if (recent.length <= this.#perSecond) return undefined;
    return { status: 429, error: errorText(429) };
  }
}

/**
 * Every TCP socket the server holds, WebSockets included (Node's HTTP server forgets a
 * socket once it is upgraded), for the faults that act on connections.
 */
export class SocketPool {
  readonly #sockets = new Set<Socket>();
  readonly #silenced = new Set<Socket>();
  #blackhole = false;

  get blackholed(): boolean {
    return this.#blackhole;
  }

  add(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      this.#silenced.delete(socket);
    });
    if (this.#blackhole) this.#silence(socket);
  }

  /** Destroys every socket at once, as a dropped network or a crashed server would. */
  destroyAll(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  /**
   * While on, every socket, old or new, stays open but reads nothing and sends nothing:
   * the peer sees a connection that looks alive and never speaks. Writes are discarded,
   * not queued, so when it ends the silenced sockets are destroyed: their streams lost
   * bytes and cannot be trusted again. Connections made afterwards work normally.
   */
  setBlackhole(on: boolean): void {
    if (on === this.#blackhole) return;
    this.#blackhole = on;
    if (on) {
      for (const socket of this.#sockets) this.#silence(socket);
    } else {
      for (const socket of this.#silenced) socket.destroy();
      this.#silenced.clear();
    }
  }

  #silence(socket: Socket): void {
    if (this.#silenced.has(socket)) return;
    this.#silenced.add(socket);
    socket.pause();
    // Replacing `write` on the instance catches every writer: HTTP responses, faye's
    // WebSocket driver, and the final flush of `end()`. A write never completes (its
    // callback never runs), as on a link whose packets vanish.
    socket.write = (() => true) as Socket['write'];
  }
}

function stripV3(prefix: string): string {
  return prefix.startsWith('/v3/') || prefix === '/v3' ? prefix.slice(3) : prefix;
}

function errorText(status: number): string {
  if (status === 429) return 'rate limited';
  if (status >= 500) return 'internal server error';
  return 'injected failure';
}
