import { AT_LEAST_ONE, MAX_TIMER_MS, nestedOption, numberOption, POSITIVE } from '../options/check.js';
import { sleep } from './sleep.js';

/** How fast REST calls may go. GroupMe answers 429 at about 10 requests a second. */
export interface RateLimit {
  /** Sustained requests per second; any positive number. Default 5. */
  readonly perSecond: number;
  /** How many may go at once after a quiet period; 1 or more. Default 5. */
  readonly burst: number;
}

// burst + perSecond stays at 10: no one-second window ever holds more than GroupMe allows.
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 5, burst: 5 };

/**
 * The limit `value` asks for, over the defaults; `path` names it in errors. A `perSecond`
 * of 0 would never refill the bucket and a `burst` below 1 never holds a whole token:
 * either would leave every call waiting forever, so both throw a TypeError here.
 */
export function resolveRateLimit(value: unknown, path: string): RateLimit {
  const given = nestedOption(value, path, ['perSecond', 'burst']);
  return {
    perSecond: numberOption(given.perSecond, DEFAULT_RATE_LIMIT.perSecond, `${path}.perSecond`, POSITIVE),
    burst: numberOption(given.burst, DEFAULT_RATE_LIMIT.burst, `${path}.burst`, AT_LEAST_ONE),
  };
}

/** A 429 halves the pace, down to this fraction of the configured one. */
const SLOWEST = 1 / 32;
/** After a 429 the pace climbs back to the configured one over this many seconds. */
const RECOVERY_SECONDS = 20;

/**
 * A token bucket shared by every call of one client, so a catch-up over many
 * conversations paces itself instead of tripping GroupMe's limit and waiting on 429s.
 * Callers are served in arrival order.
 *
 * A 429 means the pace was too fast for GroupMe, whatever the option said (a faster
 * `perSecond`, or other processes using the same token: a relay's replicas). Waiting
 * out the one refused call would not help while the other calls keep coming, so the
 * whole bucket slows down: it empties and halves its rate, then climbs back over
 * `RECOVERY_SECONDS` of calls with no 429.
 */
export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #now: () => number;
  #rate: number;
  #tokens: number;
  #last: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(limit: RateLimit, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
    this.#rate = limit.perSecond;
    this.#tokens = limit.burst;
    this.#last = now();
  }

  /** Resolves when a request may go; rejects with the signal's reason if it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#acquire(signal));
    // The next caller waits for this turn whether it succeeded or was aborted.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** GroupMe answered 429: every call of this client slows down, not only the refused one. */
  slowDown(): void {
    this.#refill();
    this.#rate = Math.max(this.#limit.perSecond * SLOWEST, this.#rate / 2);
    this.#tokens = Math.min(this.#tokens, 0);
  }

  async #acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      // Capped: at a very low rate the wait overflows a timer, which then fires at once.
      await sleep(Math.min(MAX_TIMER_MS, Math.ceil(((1 - this.#tokens) / this.#rate) * 1000)), signal);
    }
  }

  #refill(): void {
    const now = this.#now();
    const seconds = (now - this.#last) / 1000;
    this.#last = now;
    if (this.#rate < this.#limit.perSecond) {
      this.#rate = Math.min(this.#limit.perSecond, this.#rate + (seconds * this.#limit.perSecond) / RECOVERY_SECONDS);
    }
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + seconds * this.#rate);
  }
}
