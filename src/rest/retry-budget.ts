/**
 * The retries one logical REST call may still spend. Every layer a call passes through
 * (network failures, rate limits, server errors, each page of a listing) draws on the same
 * budget, so no nesting of them multiplies the requests one call can send.
 */
export class RetryBudget {
  #left: number;
  #spent = 0;

  constructor(retries: number) {
    this.#left = retries;
  }

  /** Spends one retry; false when none is left. */
  take(): boolean {
    if (this.#left <= 0) return false;
    this.#left--;
    this.#spent++;
    return true;
  }

  /** Retries spent so far: the exponent of the next backoff delay. */
  get spent(): number {
    return this.#spent;
  }
}
