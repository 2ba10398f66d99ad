// Issue 10, point 1: every history page is sorted by id, whatever order its array comes in.
// The look-alike answers in GroupMe's own orders (after_id ascending, DMs newest first), so
// this test has a server of its own, on 127.0.0.1, that shuffles every page it sends.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GroupMeApi } from '../../src/index.js';
import { fetchMissed, type CursorAccess } from '../../src/recovery/catch-up.js';

const ME = '5';
const FRIEND = '17';
/** Ids of different lengths, so that an order by string would differ from the order by number. */
const ids = Array.from({ length: 70 }, (_, i) => String(960 + i * 3));

/** Deterministic shuffle (a page must never happen to come sorted). */
function shuffled<T>(rows: readonly T[], seed: number): T[] {
  const out = [...rows];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out.reverse();
}

function cursors(start: string): CursorAccess & { readonly value: () => string } {
  let value = start;
  return {
    get: async () => value,
    advance: (_key, id) => {
      if (BigInt(id) > BigInt(value)) value = id;
    },
    value: () => value,
  };
}

describe('catch-up trusts no page order', { timeout: 20_000 }, () => {
  let server: Server;
  let api: GroupMeApi;
  let pages = 0;

  before(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const send = (body: unknown): void => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ response: body, meta: { code: 200 } }));
      };
      const rows = (page: string[]) => shuffled(page, ++pages).map((id) => ({ id, created_at: 1_700_000_000, text: `m ${id}`, sender_id: FRIEND, user_id: FRIEND, group_id: '9', recipient_id: ME }));
      const before = url.searchParams.get('before_id');
      const older = before === null ? ids : ids.filter((id) => BigInt(id) < BigInt(before));
      if (url.pathname === '/v3/users/me') return send({ id: ME, user_id: ME, name: 'Me' });
      if (url.pathname === '/v3/groups/9/messages') {
        const after = url.searchParams.get('after_id');
        // Short pages (7) in the middle, as GroupMe sends them.
        const page = after === null ? older.slice(-7) : ids.filter((id) => BigInt(id) > BigInt(after)).slice(0, 7);
        if (page.length === 0) {
          response.writeHead(304);
          return response.end();
        }
        return send({ count: ids.length, messages: rows(page) });
      }
      if (url.pathname === '/v3/direct_messages' && url.searchParams.get('other_user_id') === FRIEND) {
        return send({ count: ids.length, direct_messages: rows(older.slice(-20)) });
      }
      response.writeHead(404);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    api = new GroupMeApi({ token: 'page-order-token', apiUrl: `http://127.0.0.1:${port}/v3`, rateLimit: { perSecond: 1000, burst: 1000 } });
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const walk = async (kind: 'group' | 'direct_message', id: string, from: string): Promise<string[]> => {
    const got: string[] = [];
    for await (const missed of fetchMissed(api, { kind, id, newestId: ids.at(-1)! }, cursors(from))) got.push(missed.id);
    return got;
  };

  it('a group walked forward with after_id over shuffled short pages: every message after the cursor, ascending', async () => {
    const from = ids[4]!;
    assert.deepEqual(await walk('group', '9', from), ids.slice(5));
  });

  it('a DM thread walked back with before_id over shuffled pages of 20: every message after the cursor, ascending', async () => {
    const from = ids[11]!; // 993: below it sit three-digit ids, above it four-digit ones
    assert.deepEqual(await walk('direct_message', `${ME}+${FRIEND}`, from), ids.slice(12));
  });
});
