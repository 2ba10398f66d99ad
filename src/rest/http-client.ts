import axios, { type AxiosResponse } from 'axios';
import { ApiError } from '../errors/api-error.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { NetworkError } from '../errors/network-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { obj as readRecord } from '../util/read-json.js';
import {
  backoffDelay,
  isRateLimit,
  isRetryableServerError,
  parseRetryAfter,
  type RetryPolicy,
} from './retry-policy.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { RetryBudget } from './retry-budget.js';
import { sleep } from './sleep.js';

export interface HttpClientOptions {
  readonly token: string;
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly rateLimit: RateLimit;
}

export interface RequestOptions {
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** The retries left to the logical call this request belongs to; default a fresh budget. */
  readonly budget?: RetryBudget;
}

/** An unwrapped answer: `response` from GroupMe's envelope, or null for 304 / empty bodies. */
export interface HttpResult {
  readonly status: number;
  readonly response: unknown;
}

// One axios instance for every client in the process: an instance costs ~5 KB, and a
// process holding a thousand PushClients should not pay that a thousand times. What is
// per client (base URL, token, timeout) travels with each request instead.
const shared = axios.create({
  // Every status is ours to interpret: 304 means "no messages", 401 is final, 429 waits.
  validateStatus: () => true,
  responseType: 'json',
  maxRedirects: 0,
});

const ME_PATH = '/users/me';

/** GroupMe's answer, or why none came: the system error code, such as `ECONNRESET`, if any. */
type Sent = { readonly answered: true; readonly response: AxiosResponse } | { readonly answered: false; readonly reason: string | null };

/**
 * The one place that talks HTTP. The token rides in the `X-Access-Token` header and
 * nowhere else; errors are rebuilt from status and path only, so neither axios' config
 * (which holds the header) nor the URL's query string can leak it into a log.
 */
export class HttpClient {
  readonly #retry: RetryPolicy;
  readonly #limiter: RateLimiter;
  readonly #baseURL: string;
  readonly #timeout: number;
  readonly #headers: Record<string, string>;
  /** The `/users/me` check settling a 401, while one runs. */
  #confirming: Promise<boolean> | undefined;

  constructor(options: HttpClientOptions) {
    this.#retry = options.retry;
    this.#limiter = new RateLimiter(options.rateLimit);
    this.#baseURL = options.apiUrl.replace(/\/+$/, '');
    this.#timeout = options.timeoutMs;
    this.#headers = { 'X-Access-Token': options.token, Accept: 'application/json' };
  }

  /**
   * One logical call: every request it sends, retries included, draws on one budget of
   * `retry.retries`. Pass `budget` to make several requests (the pages of a listing) one call.
   */
  async request(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const budget = options.budget ?? new RetryBudget(this.#retry.retries);
    for (;;) {
      const sent = await this.#send(method, path, options);
      if (!sent.answered) {
        // A request that never reached GroupMe is safe to resend, even a POST.
        const neverSent = sent.reason === 'ECONNREFUSED' || sent.reason === 'ENOTFOUND' || sent.reason === 'EAI_AGAIN';
        if (!(method === 'GET' || neverSent) || !budget.take()) throw new NetworkError(method, path, sent.reason);
        await sleep(this.#backoff(budget), options.signal);
        continue;
      }
      const res = sent.response;
      const status = res.status;
      if (status === 304) return { status, response: null };
      if (status >= 200 && status < 300) return { status, response: readRecord(res.data)?.response ?? null };

      const errors = metaErrors(res.data);
      if (status === 401) throw await this.#refusal(method, path, errors, options.signal);
      if (isRateLimit(status)) {
        this.#limiter.slowDown();
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        if (!budget.take()) throw new RateLimitError(status, method, path, errors, retryAfter);
        await sleep(Math.min(this.#retry.maxDelayMs, retryAfter ?? this.#backoff(budget)), options.signal);
        continue;
      }
      if (method === 'GET' && isRetryableServerError(status) && budget.take()) {
        await sleep(this.#backoff(budget), options.signal);
        continue;
      }
      throw new ApiError(status, method, path, errors);
    }
  }

  /** The wait before the retry just taken from `budget`. */
  #backoff(budget: RetryBudget): number {
    return backoffDelay(this.#retry, budget.spent - 1);
  }

  /**
   * Not every 401 is the token: GroupMe has refused a conversation the same token could
   * still read. The token is refused only when `GET /users/me` refuses it, so any other 401
   * is settled there (one request, shared by every 401 that arrives meanwhile).
   * That check is a call of its own, with a retry budget of its own, not the refused
   * call's: it serves every call refused meanwhile, and a call that spent its retries must
   * still learn whether the token is good. It is the one exception to one budget per call.
   */
  async #refusal(method: string, path: string, errors: string[], signal: AbortSignal | undefined): Promise<Error> {
    if (path === ME_PATH) return new AuthenticationError();
    this.#confirming ??= this.request('GET', ME_PATH).then(
      () => true,
      (error: unknown) => !(error instanceof AuthenticationError),
    ).finally(() => {
      this.#confirming = undefined;
    });
    const tokenValid = await this.#confirming;
    signal?.throwIfAborted();
    if (!tokenValid) return new AuthenticationError();
    return new ApiError(401, method, path, errors, `GroupMe answered ${method} ${path} with HTTP 401, yet it still accepts the token (GET ${ME_PATH}): the refusal is about this call, not the token.`);
  }

  /** Exactly one HTTP request. Never retries: that is request()'s, on the call's budget. */
  async #send(method: string, path: string, options: RequestOptions): Promise<Sent> {
    await this.#limiter.take(options.signal);
    try {
      const response = await shared.request({
        method,
        baseURL: this.#baseURL,
        timeout: this.#timeout,
        headers: this.#headers,
        url: path,
        params: options.query,
        data: options.body,
        signal: options.signal,
      });
      return { answered: true, response };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      return { answered: false, reason: axios.isAxiosError(error) ? (error.code ?? null) : null };
    }
  }
}

function metaErrors(body: unknown): string[] {
  const errors = readRecord(readRecord(body)?.meta)?.errors;
  return Array.isArray(errors) ? errors.filter((e): e is string => typeof e === 'string') : [];
}
