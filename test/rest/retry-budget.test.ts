import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ApiError, GroupMeApi, NetworkError, RateLimitError } from '../../src/index.js';

const RETRIES = 3;
/** The most requests one call may send: the first try and every retry. */
const BUDGET = RETRIES + 1;

type Handler = (req: IncomingMessage, res: ServerResponse, nth: number) => void;

/**
 * A real HTTP server on 127.0.0.1 whose every answer `handler` decides; `nth` counts the
 * requests to the same path (query excluded) from 1. Runs `body` with an API built on it.
 */
async function withServer(handler: Handler, body: (api: GroupMeApi, requests: string[]) => Promise<void>): Promise<void> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    handler(req, res, requests.filter((p) => p === path).length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const api = new GroupMeApi({
    token: 'budget-test-token',
    apiUrl: `http://127.0.0.1:${port}/v3`,
    retry: { retries: RETRIES, baseDelayMs: 1, maxDelayMs: 5 },
    // Pacing is not what is tested: let every request go at once.
    rateLimit: { perSecond: 1_000, burst: 100 },
  });
  try {
    await body(api, requests);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function answer(res: ServerResponse, status: number, response: unknown = null, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ response, meta: { code: status, errors: status >= 400 ? [`status ${status}`] : [] } }));
}

function hangUp(req: IncomingMessage): void {
  req.socket.destroy();
}

describe('one retry budget per REST call', { timeout: 20_000 }, () => {
  it('sends a GET answered 500 every time exactly the budget of requests', async () => {
    await withServer((_req, res) => answer(res, 500), async (api, requests) => {
      await assert.rejects(api.me(), (error: unknown) => error instanceof ApiError && error.status === 500);
      assert.equal(requests.length, BUDGET);
    });
  });

  it('sends a GET answered 429 (Retry-After: 0) every time exactly the budget of requests', async () => {
    await withServer((_req, res) => answer(res, 429, null, { 'retry-after': '0' }), async (api, requests) => {
      await assert.rejects(api.me(), RateLimitError);
      assert.equal(requests.length, BUDGET);
    });
  });

  it('sends a GET that meets hang-ups and 500s by turns exactly the budget of requests', async () => {
    // Network failures and error answers are retried by different code: they must still
    // share one budget, not each get one of their own.
    await withServer((req, res, nth) => (nth % 2 === 1 ? hangUp(req) : answer(res, 500)), async (api, requests) => {
      await assert.rejects(api.me(), (error: unknown) => error instanceof NetworkError || (error instanceof ApiError && error.status === 500));
      assert.equal(requests.length, BUDGET);
    });
  });

  it('sends a GET that only meets hang-ups exactly the budget of requests', async () => {
    await withServer((req) => hangUp(req), async (api, requests) => {
      await assert.rejects(api.me(), NetworkError);
      assert.equal(requests.length, BUDGET);
    });
  });

  it('spends one budget across every page of a listing', async () => {
    // Pages 1 and 2 each fail once, then answer; page 3 always fails. With one budget the
    // third page has one retry left; a budget per page would spend three more on it.
    const failures = new Map<string, number>();
    await withServer((req, res) => {
      const page = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('page') ?? '?';
      const failed = failures.get(page) ?? 0;
      if (page === '3' || failed === 0) {
        failures.set(page, failed + 1);
        answer(res, 500);
      } else {
        answer(res, 200, [{ id: `g${page}`, name: `Group ${page}` }]);
      }
    }, async (api, requests) => {
      await assert.rejects(api.groups(), (error: unknown) => error instanceof ApiError && error.status === 500);
      assert.deepEqual(Object.fromEntries(failures), { '1': 1, '2': 1, '3': 2 });
      assert.equal(requests.length, 3 + RETRIES);
    });
  });

  // chats() and directMessages() with a thread id first look up your user id (GET
  // /users/me, until a lookup has succeeded once). That lookup is part of the call: its
  // retries come out of the call's budget, so the call sends its first tries (the lookup
  // and the call itself) and at most RETRIES retries between them, never a budget each.
  it('spends one budget across the /users/me lookup and the request of directMessages', async () => {
    await withServer((req, res, nth) => {
      if (req.url?.startsWith('/v3/users/me') && nth > RETRIES) answer(res, 200, { id: '1', name: 'Me' });
      else answer(res, 500);
    }, async (api, requests) => {
      await assert.rejects(api.directMessages('1+2'), (error: unknown) => error instanceof ApiError && error.status === 500 && error.path === '/direct_messages');
      // The lookup spent every retry: the DM request gets its first try and no more.
      assert.equal(requests.filter((path) => path === '/v3/users/me').length, BUDGET);
      assert.equal(requests.filter((path) => path === '/v3/direct_messages').length, 1);
      assert.equal(requests.length, RETRIES + 2);
    });
  });

  it('spends one budget across the /users/me lookup and the pages of chats', async () => {
    await withServer((req, res, nth) => {
      if (req.url?.startsWith('/v3/users/me') && nth > 2) answer(res, 200, { id: '1', name: 'Me' });
      else answer(res, 500);
    }, async (api, requests) => {
      await assert.rejects(api.chats(), (error: unknown) => error instanceof ApiError && error.status === 500 && error.path === '/chats');
      // Two retries went to the lookup, the one left to the first page.
      assert.equal(requests.filter((path) => path === '/v3/users/me').length, 3);
      assert.equal(requests.filter((path) => path === '/v3/chats').length, RETRIES - 2 + 1);
      assert.equal(requests.length, RETRIES + 2);
    });
  });

  it('sends a directMessages call against a server answering 500 exactly the budget, lookup included', async () => {
    await withServer((_req, res) => answer(res, 500), async (api, requests) => {
      await assert.rejects(api.directMessages('1+2'), (error: unknown) => error instanceof ApiError && error.status === 500);
      // The lookup never succeeds, so the call never reaches /direct_messages.
      assert.deepEqual(requests, Array(BUDGET).fill('/v3/users/me'));
    });
  });

  it('gives a directMessages call the whole budget once the user id is known', async () => {
    await withServer((req, res) => (req.url?.startsWith('/v3/users/me') ? answer(res, 200, { id: '1', name: 'Me' }) : answer(res, 500)), async (api, requests) => {
      await api.me();
      requests.length = 0;
      await assert.rejects(api.directMessages('1+2'), (error: unknown) => error instanceof ApiError && error.status === 500);
      assert.deepEqual(requests, Array(BUDGET).fill('/v3/direct_messages'));
    });
  });

  it('gives the GET /users/me that settles a 401 a budget of its own, and never resends the refused call', async () => {
    await withServer((req, res) => (req.url?.startsWith('/v3/users/me') ? answer(res, 500) : answer(res, 401)), async (api, requests) => {
      await assert.rejects(api.groupMessages('1'), (error: unknown) => error instanceof ApiError && error.status === 401);
      assert.equal(requests.filter((path) => path === '/v3/groups/1/messages').length, 1);
      assert.equal(requests.filter((path) => path === '/v3/users/me').length, BUDGET);
    });
  });

  it('never resends a POST that GroupMe answered', async () => {
    await withServer((_req, res) => answer(res, 500), async (api, requests) => {
      await assert.rejects(api.sendGroupMessage('1', 'hello'), (error: unknown) => error instanceof ApiError && error.status === 500);
      assert.equal(requests.length, 1);
    });
  });
});
