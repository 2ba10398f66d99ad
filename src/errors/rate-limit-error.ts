import { ApiError } from './api-error.js';

/** GroupMe kept answering 429 (or 420) after every retry we were allowed. */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
  /** What `Retry-After` asked for on the last answer, in milliseconds, if it was sent. */
  readonly retryAfterMs: number | null;

  constructor(status: number, method: string, path: string, errors: readonly string[], retryAfterMs: number | null) {
    super(status, method, path, errors, `GroupMe rate-limited ${method} ${path} (HTTP ${status}) and kept doing so after retries.`);
    this.retryAfterMs = retryAfterMs;
  }
}
