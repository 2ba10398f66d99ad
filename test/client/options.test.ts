import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ApiError, FileCursorStore, GroupMeApi, MemoryCursorStore, PushClient, type GroupMeApiOptions, type PushClientOptions } from '../../src/index.js';

const MAX = 2_147_483_647;
const MS = `a positive number of milliseconds, at most ${MAX}`;
const ANY_MS = `a number of milliseconds from 0 to ${MAX}`;

/** Options as a JavaScript caller may pass them: the types do not stop a wrong value. */
type Loose<T> = { [K in keyof T]?: unknown };

function client(options: Loose<PushClientOptions>): PushClient {
  return new PushClient({ token: 'options-test-token', ...options } as PushClientOptions);
}

function api(options: Loose<GroupMeApiOptions>): GroupMeApi {
  return new GroupMeApi({ token: 'options-test-token', ...options } as GroupMeApiOptions);
}

const STORE = 'an object with get and set functions (and flush, if given, a function)';
const get = (): undefined => undefined;
const set = (): void => undefined;

/** Each bad PushClient option and the whole message its TypeError must carry (or its pattern). */
const BAD_CLIENT_OPTIONS: Array<[Loose<PushClientOptions>, string | RegExp]> = [
  // A cursor store that cannot be one used to be taken, then failed every catch-up (11
  // CATCH_UP_FAILED in 1.5 s) and held live events forever.
  [{ cursorStore: {} }, `Option cursorStore must be ${STORE}; got an object whose get is undefined.`],
  [{ cursorStore: { get } }, `Option cursorStore must be ${STORE}; got an object whose set is undefined.`],
  [{ cursorStore: { get, set: 'later' } }, `Option cursorStore must be ${STORE}; got an object whose set is "later".`],
  [{ cursorStore: { get, set, flush: true } }, `Option cursorStore must be ${STORE}; got an object whose flush is true.`],
  [{ cursorStore: { get, set, flush: null } }, `Option cursorStore must be ${STORE}; got an object whose flush is null.`],
  [{ cursorStore: null }, `Option cursorStore must be ${STORE}; got null.`],
  [{ cursorStore: './cursors.json' }, `Option cursorStore must be ${STORE}; got "./cursors.json".`],
  [{ cursorStore: [get, set] }, `Option cursorStore must be ${STORE}; got an array.`],
  [{ catchUp: 'false' }, 'Option catchUp must be true or false; got "false".'],
  [{ catchUp: 0 }, 'Option catchUp must be true or false; got 0.'],
  [{ catchUp: null }, 'Option catchUp must be true or false; got null.'],
  [{ subscribeAll: 'yes' }, 'Option subscribeAll must be true or false; got "yes".'],
  [{ subscribeAll: 1 }, 'Option subscribeAll must be true or false; got 1.'],
  [{ pushUrl: 42 }, 'Option pushUrl must be a string holding an absolute URL; got 42.'],
  [{ apiUrl: new URL('https://api.groupme.com/v3') }, 'Option apiUrl must be a string holding an absolute URL; got an object.'],
  // A misspelt option would otherwise be ignored, leaving its default in force without a word.
  [{ subscribeALL: true } as Loose<PushClientOptions>, /^Option subscribeALL is not an option; PushClient takes token, pushUrl, apiUrl, subscribeAll, .*, cursorStore, .*\.$/],
  [{ cursorstore: new MemoryCursorStore() } as Loose<PushClientOptions>, /^Option cursorstore is not an option; PushClient takes /],
  [{ retries: 3 } as Loose<PushClientOptions>, /^Option retries is not an option; PushClient takes token, .* and maxQueuedPerConversation\.$/],
  [{ restRateLimit: { perSecond: 0 } }, 'Option restRateLimit.perSecond must be a positive number; got 0.'],
  [{ restRateLimit: { perSecond: -2 } }, 'Option restRateLimit.perSecond must be a positive number; got -2.'],
  [{ restRateLimit: { perSecond: Infinity } }, 'Option restRateLimit.perSecond must be a positive number; got Infinity.'],
  [{ restRateLimit: { perSecond: '5' } }, 'Option restRateLimit.perSecond must be a positive number; got "5".'],
  [{ restRateLimit: { burst: 0 } }, 'Option restRateLimit.burst must be a number, 1 or more; got 0.'],
  [{ restRateLimit: { burst: 0.5 } }, 'Option restRateLimit.burst must be a number, 1 or more; got 0.5.'],
  [{ restRateLimit: { burst: NaN } }, 'Option restRateLimit.burst must be a number, 1 or more; got NaN.'],
  [{ restRateLimit: { perSecnd: 10 } }, 'Option restRateLimit.perSecnd is not an option; restRateLimit takes perSecond and burst.'],
  [{ restRateLimit: 10 }, 'Option restRateLimit must be an object; got 10.'],
  [{ restRetry: { retries: -1 } }, 'Option restRetry.retries must be a whole number, 0 or more; got -1.'],
  [{ restRetry: { retries: 1.5 } }, 'Option restRetry.retries must be a whole number, 0 or more; got 1.5.'],
  [{ restRetry: { retries: Infinity } }, 'Option restRetry.retries must be a whole number, 0 or more; got Infinity.'],
  [{ restRetry: { baseDelayMs: -1 } }, `Option restRetry.baseDelayMs must be ${ANY_MS}; got -1.`],
  [{ restRetry: { maxDelayMs: 3e9 } }, `Option restRetry.maxDelayMs must be ${ANY_MS}; got 3000000000.`],
  [
    { restRetry: { baseDelayMs: 100, maxDelayMs: 50 } },
    'Option restRetry.maxDelayMs must be at least restRetry.baseDelayMs; got restRetry.maxDelayMs 50 and restRetry.baseDelayMs 100.',
  ],
  [
    { restRetry: { maxDelayMs: 100 } },
    'Option restRetry.maxDelayMs must be at least restRetry.baseDelayMs; got restRetry.maxDelayMs 100 and restRetry.baseDelayMs 500 (the default).',
  ],
  [{ restRetry: { attempts: 5 } }, 'Option restRetry.attempts is not an option; restRetry takes retries, baseDelayMs and maxDelayMs.'],
  [{ restRetry: [3] }, 'Option restRetry must be an object; got an array.'],
  [{ liveness: { quietMs: 0 } }, `Option liveness.quietMs must be ${MS}; got 0.`],
  [{ liveness: { quietMs: 3e9 } }, `Option liveness.quietMs must be ${MS}; got 3000000000.`],
  [{ liveness: { probeTimeoutMs: -5 } }, `Option liveness.probeTimeoutMs must be ${MS}; got -5.`],
  [{ liveness: { probeTimeoutMs: null } }, `Option liveness.probeTimeoutMs must be ${MS}; got null.`],
  [{ liveness: { quietMS: 1000 } }, 'Option liveness.quietMS is not an option; liveness takes quietMs and probeTimeoutMs.'],
  [{ liveness: 'fast' }, 'Option liveness must be an object; got "fast".'],
  [{ reconnect: { baseDelayMs: 0 } }, `Option reconnect.baseDelayMs must be ${MS}; got 0.`],
  [{ reconnect: { maxDelayMs: NaN } }, `Option reconnect.maxDelayMs must be ${MS}; got NaN.`],
  [
    { reconnect: { baseDelayMs: 1_000, maxDelayMs: 500 } },
    'Option reconnect.maxDelayMs must be at least reconnect.baseDelayMs; got reconnect.maxDelayMs 500 and reconnect.baseDelayMs 1000.',
  ],
  [
    { reconnect: { baseDelayMs: 120_000 } },
    'Option reconnect.maxDelayMs must be at least reconnect.baseDelayMs; got reconnect.maxDelayMs 60000 (the default) and reconnect.baseDelayMs 120000.',
  ],
  [{ reconnect: { maxDelay: 500 } }, 'Option reconnect.maxDelay is not an option; reconnect takes baseDelayMs and maxDelayMs.'],
  [{ subscribeTimeoutMs: -1 }, `Option subscribeTimeoutMs must be ${MS}; got -1.`],
  [{ requestTimeoutMs: 3e9 }, `Option requestTimeoutMs must be ${MS}; got 3000000000.`],
  [{ healthyAfterMs: 0 }, `Option healthyAfterMs must be ${MS}; got 0.`],
  [{ fayeRetrySeconds: 3e6 }, 'Option fayeRetrySeconds must be a positive number of seconds, at most 2147483.647; got 3000000.'],
  [{ dedupeCapacity: 0.5 }, 'Option dedupeCapacity must be a whole number, 1 or more; got 0.5.'],
];

/** The same checks reach a GroupMeApi built directly, under its own option names. */
const BAD_API_OPTIONS: Array<[Loose<GroupMeApiOptions>, string]> = [
  [{ retries: 2 } as Loose<GroupMeApiOptions>, 'Option retries is not an option; GroupMeApi takes token, apiUrl, timeoutMs, retry and rateLimit.'],
  [{ requestTimeoutMs: 5_000 } as Loose<GroupMeApiOptions>, 'Option requestTimeoutMs is not an option; GroupMeApi takes token, apiUrl, timeoutMs, retry and rateLimit.'],
  [{ rateLimits: {} } as Loose<GroupMeApiOptions>, 'Option rateLimits is not an option; GroupMeApi takes token, apiUrl, timeoutMs, retry and rateLimit.'],
  [{ apiUrl: 42 }, 'Option apiUrl must be a string holding an absolute URL; got 42.'],
  [{ rateLimit: { perSecond: 0 } }, 'Option rateLimit.perSecond must be a positive number; got 0.'],
  [{ rateLimit: { burst: 0 } }, 'Option rateLimit.burst must be a number, 1 or more; got 0.'],
  [{ retry: { retries: -1 } }, 'Option retry.retries must be a whole number, 0 or more; got -1.'],
  [
    { retry: { baseDelayMs: 10, maxDelayMs: 5 } },
    'Option retry.maxDelayMs must be at least retry.baseDelayMs; got retry.maxDelayMs 5 and retry.baseDelayMs 10.',
  ],
  [{ retry: { attempts: 2 } }, 'Option retry.attempts is not an option; retry takes retries, baseDelayMs and maxDelayMs.'],
  [{ timeoutMs: 0 }, `Option timeoutMs must be ${MS}; got 0.`],
];

describe('options', { timeout: 20_000 }, () => {
  for (const [options, message] of BAD_CLIENT_OPTIONS) {
    it(`PushClient refuses ${inspect(options, { breakLength: Infinity })}`, () => {
      assert.throws(() => client(options), { name: 'TypeError', message });
    });
  }

  for (const [options, message] of BAD_API_OPTIONS) {
    it(`GroupMeApi refuses ${inspect(options, { breakLength: Infinity })}`, () => {
      assert.throws(() => api(options), { name: 'TypeError', message });
    });
  }

  it('constructs with good values at the edges of what is allowed, and with nested options left out', () => {
    const good: Array<Loose<PushClientOptions>> = [
      {},
      { restRetry: undefined, restRateLimit: undefined, liveness: undefined, reconnect: undefined },
      { restRetry: {}, restRateLimit: {}, liveness: {}, reconnect: {} },
      { restRetry: { retries: undefined, baseDelayMs: undefined } },
      { restRetry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 } },
      { restRetry: { retries: 10, baseDelayMs: 100, maxDelayMs: 100 } },
      { restRateLimit: { perSecond: 0.001, burst: 1 } },
      { restRateLimit: { perSecond: 100, burst: 2.5 } },
      { liveness: { quietMs: 1, probeTimeoutMs: MAX } },
      { reconnect: { baseDelayMs: 5, maxDelayMs: 5 } },
      { reconnect: { baseDelayMs: 90_000, maxDelayMs: 120_000 } },
      { subscribeTimeoutMs: MAX, requestTimeoutMs: 1, healthyAfterMs: 0.5, fayeRetrySeconds: 0.1, dedupeCapacity: 1 },
      { catchUp: false, subscribeAll: true },
      { catchUp: true, subscribeAll: false },
      // Every option left undefined is its default, spelt out or not.
      {
        pushUrl: undefined, apiUrl: undefined, subscribeAll: undefined, subscribeTimeoutMs: undefined, requestTimeoutMs: undefined,
        restRetry: undefined, restRateLimit: undefined, fayeRetrySeconds: undefined, liveness: undefined, reconnect: undefined,
        healthyAfterMs: undefined, catchUp: undefined, cursorStore: undefined, dedupeCapacity: undefined, maxQueuedPerConversation: undefined,
      },
      // Any object with get and set functions is a store: a class (methods on its prototype) or a literal.
      { cursorStore: new MemoryCursorStore() },
      { cursorStore: new FileCursorStore('./never-written-cursors.json') },
      { cursorStore: { get, set } },
      { cursorStore: { get, set, flush: undefined } },
      { cursorStore: new Map<string, string>() },
      { cursorStore: { get: async () => '1', set: async () => undefined, flush: async () => undefined } },
    ];
    for (const options of good) assert.ok(client(options) instanceof PushClient, JSON.stringify(options));
    const goodApi: Array<Loose<GroupMeApiOptions>> = [
      {},
      { retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 }, rateLimit: { perSecond: 1, burst: 1 }, timeoutMs: 1 },
      { apiUrl: undefined, timeoutMs: undefined, retry: undefined, rateLimit: undefined },
    ];
    for (const options of goodApi) assert.ok(api(options) instanceof GroupMeApi, JSON.stringify(options));
  });

  it('hands a PushClient\'s restRetry to its REST calls, with defaults for what it leaves out', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ response: null, meta: { code: 500 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
    const isServerError = (error: unknown): boolean => error instanceof ApiError && error.status === 500;
    try {
      const one = client({ apiUrl, restRetry: { retries: 1, baseDelayMs: 0, maxDelayMs: 0 } });
      await assert.rejects(one.api.me(), isServerError);
      assert.equal(requests, 2);
      // `retries: undefined` is the default (3), not "no retries" or "retry forever".
      requests = 0;
      await assert.rejects(api({ apiUrl, retry: { retries: undefined, baseDelayMs: 0, maxDelayMs: 0 } }).me(), isServerError);
      assert.equal(requests, 4);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
