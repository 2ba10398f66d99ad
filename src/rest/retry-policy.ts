/** How REST calls retry. Rate limits are honoured; server errors are retried for reads only. */
export interface RetryPolicy {
  /** Retries after the first try. Default 3. */
  readonly retries: number;
  /** First backoff delay; doubles each retry, with full jitter. Default 500 ms. */
  readonly baseDelayMs: number;
  /** No single wait exceeds this, not even a `Retry-After`. Default 30 s. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** GroupMe documents 420 for rate limits; 429 is what it sends in practice. */
export function isRateLimit(status: number): boolean {
  return status === 429 || status === 420;
}

export function isRetryableServerError(status: number): boolean {
  return status >= 500 && status !== 501;
}

/** Exponential backoff with full jitter (the AWS variant): spreads herds of clients. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
