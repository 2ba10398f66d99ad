import { backoffDelay, type RetryPolicy } from '../rest/retry-policy.js';

/**
 * Reconnect delays: capped exponential with equal jitter (half the delay fixed, half
 * random), so a fleet of clients that lost GroupMe at once does not return at once, and
 * none comes back sooner than half its delay. `reset()` after a healthy period.
 */
export class Backoff {
  readonly #policy: RetryPolicy;
  #attempt = 0;

  constructor(baseDelayMs: number, maxDelayMs: number) {
    this.#policy = { retries: Infinity, baseDelayMs, maxDelayMs };
  }

  /** The delay before the next attempt; each call counts as one attempt. */
  next(): number {
    return backoffDelay(this.#policy, this.#attempt++);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
