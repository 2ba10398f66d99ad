import type { CursorStore } from '../recovery/cursor-store.js';
import { endpointProblem, tokenProblem } from '../util/validate.js';
import type { LivenessTimings } from '../recovery/liveness.js';
import {
  booleanOption,
  delayRange,
  knownOptions,
  MAX_TIMER_MS,
  methodsOption,
  nestedOption,
  numberOption,
  POSITIVE,
  POSITIVE_MS,
  urlOption,
  WHOLE_POSITIVE,
  type NumberRule,
} from '../options/check.js';
import { resolveRateLimit, type RateLimit } from '../rest/rate-limiter.js';
import { resolveRetryPolicy, type RetryPolicy } from '../rest/retry-policy.js';

/** GroupMe's Faye endpoint. */
export const DEFAULT_PUSH_URL = 'https://push.groupme.com/faye';

/** How to build a PushClient. Only `token` is required. */
export interface PushClientOptions {
  /** Your GroupMe access token. Sent in headers and subscribe extensions only, never in a URL. */
  readonly token: string;
  /** The Faye endpoint. Default `https://push.groupme.com/faye`. */
  readonly pushUrl?: string;
  /** The REST API. Default `https://api.groupme.com/v3`. */
  readonly apiUrl?: string;
  /**
   * Also subscribe to every group you are an active member of and every DM thread, for
   * typing, reactions on others' messages, edits and deletions. Default false.
   */
  readonly subscribeAll?: boolean;
  /** How long the push server may take to acknowledge a subscription. Default 30 s. */
  readonly subscribeTimeoutMs?: number;
  /** REST request timeout. Default 15 s. */
  readonly requestTimeoutMs?: number;
  /** How REST calls retry on rate limits and server errors. */
  readonly restRetry?: Partial<RetryPolicy>;
  /** Client-side REST pacing. Default 5 requests a second, bursts of 5. */
  readonly restRateLimit?: Partial<RateLimit>;
  /** faye's fixed delay before it re-sends or re-handshakes, in seconds. Default 1. */
  readonly fayeRetrySeconds?: number;
  /**
   * How the client tells a quiet connection from a dead one. GroupMe may send nothing at all
   * for ten minutes on a healthy connection, so silence alone proves nothing: after
   * `quietMs` with no frame the client asks the server (a `/meta/subscribe` for `/user`,
   * which GroupMe always answers) and rebuilds the connection only when the answer is a
   * refusal or does not come within `probeTimeoutMs`. Defaults 60 s and 30 s: a dead socket
   * is found within about 105 s, and a quiet healthy one costs one small round trip a minute.
   */
  readonly liveness?: { readonly quietMs?: number; readonly probeTimeoutMs?: number };
  /**
   * Reconnect delays: capped exponential backoff with jitter. Default 1 s doubling to 60 s.
   * Both positive; `maxDelayMs` no lower than `baseDelayMs`.
   */
  readonly reconnect?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number };
  /** After this long connected, the backoff starts again from its base. Default 60 s. */
  readonly healthyAfterMs?: number;
  /**
   * After every reconnect, fetch over REST the messages missed meanwhile and deliver them
   * as `line.create` / `direct_message.create` events with `origin: 'catch-up'`. Default true.
   */
  readonly catchUp?: boolean;
  /** Where the newest delivered message id of each conversation is kept. Default in memory. */
  readonly cursorStore?: CursorStore;
  /** How many recent message ids are remembered to drop duplicates. Default 10,000. */
  readonly dedupeCapacity?: number;
  /**
   * How many events one conversation may have waiting for its listeners (behind a slow
   * listener, or held while it is caught up). Past it, a message is dropped from memory and
   * fetched again over REST once the queue has drained (its cursor is behind it); any other
   * event (typing, a reaction) is dropped and reported as a `DELIVERY_OVERFLOW` error.
   * Default 1,000.
   */
  readonly maxQueuedPerConversation?: number;
}

export interface ResolvedOptions {
  readonly token: string;
  readonly pushUrl: string;
  readonly apiUrl: string | undefined;
  readonly subscribeAll: boolean;
  readonly subscribeTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly restRetry: RetryPolicy;
  readonly restRateLimit: RateLimit;
  readonly fayeRetrySeconds: number;
  readonly liveness: LivenessTimings;
  readonly reconnectBaseDelayMs: number;
  readonly reconnectMaxDelayMs: number;
  readonly healthyAfterMs: number;
  readonly catchUp: boolean;
  /** Undefined for the default: the cursor book's own cache is then the store, in memory. */
  readonly cursorStore: CursorStore | undefined;
  readonly dedupeCapacity: number;
  readonly maxQueuedPerConversation: number;
}

/**
 * Every key of PushClientOptions, in its order. `satisfies` keeps the list whole: an option
 * added to the interface and not here, or named here and not there, is a compile error, so
 * the unknown-key check can never refuse a real option.
 */
const OPTION_KEYS = Object.keys({
  token: true,
  pushUrl: true,
  apiUrl: true,
  subscribeAll: true,
  subscribeTimeoutMs: true,
  requestTimeoutMs: true,
  restRetry: true,
  restRateLimit: true,
  fayeRetrySeconds: true,
  liveness: true,
  reconnect: true,
  healthyAfterMs: true,
  catchUp: true,
  cursorStore: true,
  dedupeCapacity: true,
  maxQueuedPerConversation: true,
} satisfies Record<keyof PushClientOptions, true>);

const RECONNECT_DELAYS = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

const CURSOR_STORE = 'an object with get and set functions (and flush, if given, a function)';

/** faye takes its retry delay in seconds and hands it to a timer in milliseconds. */
const FAYE_RETRY_SECONDS: NumberRule = { ...POSITIVE, max: MAX_TIMER_MS / 1000, allowed: `a positive number of seconds, at most ${MAX_TIMER_MS / 1000}` };

/**
 * Every option checked and defaulted. A bad value throws a TypeError naming the option's
 * path, the value and what is allowed, and so does a key that is no option; nested options
 * (`restRetry`, `restRateLimit`, `liveness`, `reconnect`) are checked with the same rules
 * `GroupMeApi` applies.
 */
export function resolveOptions(options: PushClientOptions): ResolvedOptions {
  const tokenIssue = tokenProblem(options?.token);
  if (tokenIssue) throw new TypeError(`PushClient needs a GroupMe access token in options.token, and this one ${tokenIssue}.`);
  knownOptions(options, 'PushClient', OPTION_KEYS);
  const pushUrl = urlOption(options.pushUrl, 'pushUrl') ?? DEFAULT_PUSH_URL;
  // faye and axios need absolute URLs and would otherwise fail later, far from the cause.
  const pushIssue = endpointProblem(pushUrl, 'push');
  if (pushIssue) throw new TypeError(`options.pushUrl ${pushIssue}; got "${pushUrl}".`);
  const apiUrl = urlOption(options.apiUrl, 'apiUrl');
  const apiIssue = apiUrl === undefined ? null : endpointProblem(apiUrl, 'api');
  if (apiIssue) throw new TypeError(`options.apiUrl ${apiIssue}; got "${apiUrl}".`);
  const liveness = nestedOption(options.liveness, 'liveness', ['quietMs', 'probeTimeoutMs']);
  // A base of 0 would reconnect in a tight loop while the server is down.
  const reconnect = delayRange(nestedOption(options.reconnect, 'reconnect', ['baseDelayMs', 'maxDelayMs']), 'reconnect', RECONNECT_DELAYS, POSITIVE_MS);
  return {
    token: options.token,
    pushUrl,
    apiUrl,
    subscribeAll: booleanOption(options.subscribeAll, false, 'subscribeAll'),
    subscribeTimeoutMs: numberOption(options.subscribeTimeoutMs, 30_000, 'subscribeTimeoutMs', POSITIVE_MS),
    requestTimeoutMs: numberOption(options.requestTimeoutMs, 15_000, 'requestTimeoutMs', POSITIVE_MS),
    restRetry: resolveRetryPolicy(options.restRetry, 'restRetry'),
    restRateLimit: resolveRateLimit(options.restRateLimit, 'restRateLimit'),
    fayeRetrySeconds: numberOption(options.fayeRetrySeconds, 1, 'fayeRetrySeconds', FAYE_RETRY_SECONDS),
    liveness: {
      quietMs: numberOption(liveness.quietMs, 60_000, 'liveness.quietMs', POSITIVE_MS),
      probeTimeoutMs: numberOption(liveness.probeTimeoutMs, 30_000, 'liveness.probeTimeoutMs', POSITIVE_MS),
    },
    reconnectBaseDelayMs: reconnect.baseDelayMs,
    reconnectMaxDelayMs: reconnect.maxDelayMs,
    healthyAfterMs: numberOption(options.healthyAfterMs, 60_000, 'healthyAfterMs', POSITIVE_MS),
    catchUp: booleanOption(options.catchUp, true, 'catchUp'),
    // Duck-typed, as the interface is: any object with get and set (a Map is one).
    cursorStore: methodsOption<CursorStore>(options.cursorStore, 'cursorStore', ['get', 'set'], ['flush'], CURSOR_STORE),
    dedupeCapacity: numberOption(options.dedupeCapacity, 10_000, 'dedupeCapacity', WHOLE_POSITIVE),
    maxQueuedPerConversation: numberOption(options.maxQueuedPerConversation, 1_000, 'maxQueuedPerConversation', WHOLE_POSITIVE),
  };
}
