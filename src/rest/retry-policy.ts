import { delayRange, nestedOption, NON_NEGATIVE_MS, numberOption, WHOLE_NON_NEGATIVE } from '../options/check.js';

/** How REST calls retry. Rate limits are honoured; server errors are retried for reads only. */
export interface RetryPolicy {
  /**
   * Retries after the first try, for the whole call: a listing's pages share them. A whole
   * number, 0 or more. Default 3.
   */
  readonly retries: number;
  /** First backoff delay; doubles each retry, with equal jitter. 0 or more. Default 500 ms. */
  readonly baseDelayMs: number;
  /** No single wait exceeds this, not even a `Retry-After`. At least `baseDelayMs`. Default 30 s. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The policy `value` asks for, over the defaults; `path` names it in errors (`restRetry`
 * for PushClient, `retry` for GroupMeApi). Throws a TypeError for anything it cannot be.
 */
export function resolveRetryPolicy(value: unknown, path: string): RetryPolicy {
  const given = nestedOption(value, path, ['retries', 'baseDelayMs', 'maxDelayMs']);
  return {
    retries: numberOption(given.retries, DEFAULT_RETRY_POLICY.retries, `${path}.retries`, WHOLE_NON_NEGATIVE),
    // 0 is allowed: the budget still bounds how many retries go out back to back.
    ...delayRange(given, path, DEFAULT_RETRY_POLICY, NON_NEGATIVE_MS),
  };
}

/** GroupMe documents 420 for rate limits; 429 is what it sends in practice. */
export function isRateLimit(status: number): boolean {
  return status === 429 || status === 420;
}

export function isRetryableServerError(status: number): boolean {
  return status >= 500 && status !== 501;
}

/** Exponential backoff with equal jitter (half the step, plus a random half): spreads herds of clients and never retries at once. */
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
