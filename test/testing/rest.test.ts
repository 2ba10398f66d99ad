import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createGroupMeServer,
  type DirectMessageJson,
  type GroupMessageJson,
  type GroupMeServer,
  type SimGroup,
  type SimUser,
} from '../../src/testing/index.js';
import { api, closeClients, rawClient, receive, responseOf, subscribe } from './helpers.js';

type Row = Record<string, unknown>;
const ids = (list: Array<{ id: string }>): string[] => list.map((m) => m.id);

describe('REST /v3', { timeout: 20_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let bob: SimUser;
  let group: SimGroup;
  let history: string[];

  before(async () => {
    // Routes, not pacing: one token sends many requests back to back here.
    server = await createGroupMeServer({ pingIntervalMs: 0, rateLimitPerSecond: 0 });
    me = server.addUser({ name: 'Me' });
    bob = server.addUser({ name: 'Bob' });
    group = server.addGroup({ name: 'History', members: [me.id, bob.id] });
    history = Array.from({ length: 25 }, (_, i) => server.post(group.id, i % 2 ? me.id : bob.id, `m${i}`).id);
  });
  after(async () => {
    closeClients();
    await server.close();
  });

  describe('auth and the envelope', () => {
    it('answers CORS, so a page on another origin can call it', async () => {
      const logged = server.requestLog.length;
      const preflight = await fetch(`${server.apiUrl}/groups`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:1', 'access-control-request-headers': 'x-access-token' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Access-Token/);
      // The browser's preflight is not an API call: not logged, not rate limited.
      assert.equal(server.requestLog.length, logged);
      const res = await fetch(`${server.apiUrl}/users/me`, { headers: { 'x-access-token': me.token } });
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(res.headers.get('access-control-expose-headers'), 'Retry-After');
    });

    it('GET /users/me', async () => {
      const res = await api(server, '/users/me', { token: me.token });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body?.meta, { code: 200 });
      const user = responseOf<Row>(res);
      assert.equal(user.id, me.id);
      assert.equal(user.user_id, me.id);
      assert.equal(user.name, 'Me');
      for (const key of ['email', 'avatar_url', 'created_at']) assert.ok(key in user, key);
    });

    it('401 with errors ["unauthorized"] for an unknown, missing or revoked token', async () => {
      const victim = server.addUser({ name: 'Victim' });
      assert.equal((await api(server, '/users/me', { token: victim.token })).status, 200);
      server.revokeToken(victim.token);
      for (const token of ['nope', undefined, victim.token]) {
        const res = await api(server, '/users/me', token === undefined ? {} : { token });
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, { response: null, meta: { code: 401, errors: ['unauthorized'] } });
      }
    });

    it('accepts ?token= like GroupMe, and the request log tells where the token was', async () => {
      const from = server.requestLog.length;
      assert.equal((await api(server, '/users/me?x=1', { token: me.token, tokenInUrl: true })).status, 200);
      assert.equal((await api(server, '/users/me', { token: me.token })).status, 200);
      const [inUrl, inHeader] = server.requestLog.slice(from);
      assert.deepEqual({ ...inUrl, query: { ...inUrl!.query, token: '…' } }, {
        method: 'GET', path: '/v3/users/me', query: { x: '1', token: '…' }, tokenInUrl: true, tokenInHeader: false, status: 200,
      });
      assert.deepEqual(inHeader, { method: 'GET', path: '/v3/users/me', query: {}, tokenInUrl: false, tokenInHeader: true, status: 200 });
    });

    it('404 in the envelope for an unknown route', async () => {
      const res = await api(server, '/nothing/here', { token: me.token });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body?.meta.code, 404);
    });
  });

  describe('groups and memberships', () => {
    let many: SimUser;
    let groups: SimGroup[];

    before(() => {
      many = server.addUser({ name: 'Many' });
      groups = Array.from({ length: 23 }, (_, i) => server.addGroup({ name: `g${i}`, members: [many.id, bob.id] }));
      server.setMembershipState(groups[0]!.id, many.id, 'exited');
      server.setMembershipState(groups[1]!.id, many.id, 'removed');
      server.setMembershipState(groups[2]!.id, many.id, 'pending');
    });

    it('pages every group with a membership in any state, newest activity first, 10 by default', async () => {
      const page = async (query: string): Promise<Row[]> => responseOf<Row[]>(await api(server, `/groups${query}`, { token: many.token }));
      const first = await page('');
      assert.equal(first.length, 10);
      assert.deepEqual(first.map((g) => g.id), groups.slice(-10).reverse().map((g) => g.id));
      const all = [...(await page('?page=1&per_page=20')), ...(await page('?page=2&per_page=20'))];
      assert.deepEqual(all.map((g) => g.id), groups.map((g) => g.id).reverse(), 'exited, removed and pending too');
      assert.deepEqual(await page('?page=3&per_page=20'), []);
      // A post moves its group to the front.
      server.post(groups[5]!.id, bob.id, 'bump');
      assert.equal((await page('?per_page=1'))[0]!.id, groups[5]!.id);
    });

    it('is shaped like GroupMe\'s group, with members unless omit=memberships', async () => {
      const [full] = responseOf<Row[]>(await api(server, '/groups?per_page=1', { token: many.token }));
      const [bare] = responseOf<Row[]>(await api(server, '/groups?per_page=1&omit=memberships', { token: many.token }));
      for (const key of ['id', 'group_id', 'name', 'type', 'description', 'image_url', 'creator_user_id', 'created_at', 'updated_at', 'share_url', 'messages']) {
        assert.ok(key in bare!, key);
      }
      assert.ok(!('members' in bare!));
      assert.equal(full!.group_id, full!.id);
      assert.equal(full!.creator_user_id, many.id);
      const members = full!.members as Row[];
      assert.deepEqual(members.map((m) => m.user_id).sort(), [many.id, bob.id].sort());
      assert.ok(members.every((m) => m.id !== m.user_id), 'a membership id is not a user id');
      assert.deepEqual(full!.messages, {
        count: 1,
        last_message_id: server.message(String((full!.messages as Row).last_message_id)).id,
        last_message_created_at: (full!.messages as Row).last_message_created_at,
        preview: { nickname: 'Bob', text: 'bump', image_url: null, attachments: [] },
      });
    });

    it('GET /memberships/states is paged: ?page=N, 10 a page, per_page ignored, [] past the end', async () => {
      const states = (query: string): Promise<Row[]> => api(server, `/memberships/states${query}`, { token: many.token }).then((r) => responseOf<Row[]>(r));
      const pages = [await states('?page=1'), await states('?page=2'), await states('?page=3')];
      assert.deepEqual(pages.map((p) => p.length), [10, 10, 3]);
      assert.deepEqual(await states('?page=4'), []);
      // No page: the first page only, not everything; per_page changes nothing.
      assert.deepEqual(await states(''), pages[0]);
      assert.deepEqual(await states('?per_page=100'), pages[0]);
      assert.deepEqual(await states('?page=2&per_page=3'), pages[1]);
      const all = pages.flat();
      assert.deepEqual(all.map((s) => s.group_id).sort(), groups.map((g) => g.id).sort(), 'every membership once');
      const byId = new Map(all.map((s) => [s.group_id, s.state]));
      assert.deepEqual([0, 1, 2, 3].map((i) => byId.get(groups[i]!.id)), ['exited', 'removed', 'pending', 'active']);
    });
  });

  describe('chats', () => {
    it('pages DM threads, 20 by default, newest first, with no top-level thread id', async () => {
      const hub = server.addUser({ name: 'Hub' });
      const others = Array.from({ length: 23 }, (_, i) => server.addUser({ name: `p${i}` }));
      for (const other of others) server.addChat(hub.id, other.id);
      const last = server.sendDirectMessage(others[3]!.id, hub.id, 'newest');
      const first = responseOf<Row[]>(await api(server, '/chats', { token: hub.token }));
      const second = responseOf<Row[]>(await api(server, '/chats?page=2', { token: hub.token }));
      assert.equal(first.length, 20);
      assert.equal(second.length, 3);
      assert.deepEqual(responseOf<Row[]>(await api(server, '/chats?page=3', { token: hub.token })), []);
      const top = first[0]!;
      assert.deepEqual(Object.keys(top).sort(), ['created_at', 'last_message', 'messages_count', 'other_user', 'updated_at']);
      assert.deepEqual(top.other_user, { id: others[3]!.id, name: 'p3', avatar_url: null });
      assert.equal(top.messages_count, 1);
      const lastMessage = top.last_message as Row;
      assert.equal(lastMessage.id, last.id);
      const [lo, hi] = BigInt(hub.id) < BigInt(others[3]!.id) ? [hub.id, others[3]!.id] : [others[3]!.id, hub.id];
      assert.equal(lastMessage.conversation_id, `${lo}+${hi}`);
      assert.equal(lastMessage.sender_id, others[3]!.id);
      assert.equal(lastMessage.recipient_id, hub.id);
      const everyone = new Set([...first, ...second].map((c) => (c.other_user as Row).id));
      assert.equal(everyone.size, 23);
    });
  });

  describe('history', () => {
    const path = (): string => `/groups/${group.id}/messages`;
    const page = async (query: string, token = me.token): Promise<{ count: number; messages: GroupMessageJson[] }> =>
      responseOf(await api(server, `${path()}${query}`, { token }));

    it('newest first by default (20), and before_id pages back, descending', async () => {
      const latest = await page('');
      assert.equal(latest.count, 25);
      assert.deepEqual(ids(latest.messages), history.slice(-20).reverse());
      const older = await page(`?before_id=${history[5]}&limit=3`);
      assert.deepEqual(ids(older.messages), [history[4], history[3], history[2]]);
    });

    it('after_id: the messages right after it, ASCENDING, no gap', async () => {
      const next = await page(`?after_id=${history[10]}&limit=2`);
      assert.deepEqual(ids(next.messages), history.slice(11, 13));
      assert.deepEqual(next.messages.map((m) => m.text), ['m11', 'm12']);
    });

    it('short pages in the middle: a walking page ends right after an id that is a multiple of 7', async () => {
      const boundaries = history.filter((id) => BigInt(id) % 7n === 0n);
      assert.ok(boundaries.length >= 2, 'the fixture has boundaries in the middle');
      const forward = await page(`?after_id=${history[10]}&limit=6`);
      assert.deepEqual(ids(forward.messages), history.slice(11, 1 + history.indexOf(boundaries.find((b) => BigInt(b) > BigInt(history[10]!))!)));
      assert.ok(forward.messages.length < 6, 'short');
      assert.equal(BigInt(forward.messages.at(-1)!.id) % 7n, 0n);
      const backward = await page(`?before_id=${history[17]}&limit=10`);
      assert.ok(backward.messages.length < 10, 'short');
      assert.equal(BigInt(backward.messages.at(-1)!.id) % 7n, 0n);
      assert.deepEqual(ids(backward.messages), history.slice(history.indexOf(backward.messages.at(-1)!.id), 17).reverse());
      // The page that starts ON a boundary still holds it: never empty while messages remain.
      const onBoundary = await page(`?after_id=${history[history.indexOf(boundaries[0]!) - 1]}&limit=5`);
      assert.deepEqual(ids(onBoundary.messages), [boundaries[0]]);
    });

    it('walks end on an empty page (304), not a short one: after_id forward and before_id back see every message', async () => {
      const walk = async (param: 'after_id' | 'before_id', from: string): Promise<{ seen: string[]; pages: number }> => {
        const seen: string[] = [];
        let pages = 0;
        for (let cursor = from; ;) {
          const res = await api(server, `${path()}?${param}=${cursor}&limit=100`, { token: me.token });
          if (res.status === 304) return { seen, pages };
          const got = ids(responseOf<{ messages: GroupMessageJson[] }>(res).messages);
          assert.ok(got.length > 0, 'never an empty page with a 200');
          seen.push(...got);
          pages++;
          cursor = got.at(-1)!;
        }
      };
      const forward = await walk('after_id', '0');
      assert.deepEqual(forward.seen, history, 'ascending, no gap, no repeat');
      assert.ok(forward.pages > 1, 'short pages although limit=100 would hold it all');
      const back = await walk('before_id', String(BigInt(history.at(-1)!) + 1n));
      assert.deepEqual(back.seen, [...history].reverse());
      assert.ok(back.pages > 1);
    });

    it('since_id: the newest messages after it, descending, skipping a gap', async () => {
      const since = await page(`?since_id=${history[10]}&limit=4`);
      assert.deepEqual(ids(since.messages), [history[24], history[23], history[22], history[21]]);
    });

    it('limit is at most 100', async () => {
      const big = server.addGroup({ name: 'Big', members: [me.id] });
      for (let i = 0; i < 120; i++) server.post(big.id, me.id, `b${i}`);
      const res = responseOf<{ count: number; messages: unknown[] }>(await api(server, `/groups/${big.id}/messages?limit=500`, { token: me.token }));
      assert.equal(res.count, 120);
      assert.equal(res.messages.length, 100);
    });

    it('nothing to return: 304 with an empty body', async () => {
      for (const query of [`?after_id=${history[24]}`, `?since_id=${history[24]}`, `?before_id=${history[0]}`]) {
        const res = await api(server, `${path()}${query}`, { token: me.token });
        assert.equal(res.status, 304, query);
        assert.equal(res.raw, '');
      }
      const empty = server.addGroup({ name: 'Empty', members: [me.id] });
      assert.equal((await api(server, `/groups/${empty.id}/messages`, { token: me.token })).status, 304);
    });

    it('403 for a non-member, 404 for an unknown group, 400 for a malformed id', async () => {
      const stranger = server.addUser({ name: 'Stranger' });
      assert.equal((await api(server, path(), { token: stranger.token })).status, 403);
      assert.equal((await api(server, '/groups/123/messages', { token: me.token })).status, 404);
      assert.equal((await api(server, `${path()}?after_id=abc`, { token: me.token })).status, 400);
    });

    it('a group you have left answers 404 with an empty body', async () => {
      for (const state of ['exited', 'removed', 'pending']) {
        const leaver = server.addUser({ name: `Leaver ${state}` });
        const left = server.addGroup({ name: 'Left', members: [bob.id, leaver.id] });
        server.post(left.id, bob.id, 'before you left');
        assert.equal((await api(server, `/groups/${left.id}/messages`, { token: leaver.token })).status, 200, 'readable while active');
        server.setMembershipState(left.id, leaver.id, state);
        const res = await api(server, `/groups/${left.id}/messages`, { token: leaver.token });
        assert.equal(res.status, 404, state);
        assert.equal(res.raw, '', state);
      }
    });

    it('GET /direct_messages: {count, direct_messages}, newest first for before_id, since_id or nothing', async () => {
      const friend = server.addUser({ name: 'Friend' });
      const none = await api(server, `/direct_messages?other_user_id=${friend.id}`, { token: me.token });
      assert.equal(none.status, 304);
      const sent = Array.from({ length: 6 }, (_, i) => (i % 2 ? server.sendDirectMessage(me.id, friend.id, `d${i}`) : server.sendDirectMessage(friend.id, me.id, `d${i}`)).id);
      const dms = async (query: string): Promise<{ count: number; direct_messages: DirectMessageJson[] }> =>
        responseOf(await api(server, `/direct_messages?other_user_id=${friend.id}${query}`, { token: me.token }));
      const latest = await dms('');
      assert.equal(latest.count, 6);
      assert.deepEqual(ids(latest.direct_messages), [...sent].reverse());
      assert.deepEqual(ids((await dms(`&since_id=${sent[1]}&limit=2`)).direct_messages), [sent[5], sent[4]]);
      assert.deepEqual(ids((await dms(`&before_id=${sent[2]}`)).direct_messages), [sent[1], sent[0]]);
      const [lo, hi] = BigInt(me.id) < BigInt(friend.id) ? [me.id, friend.id] : [friend.id, me.id];
      assert.ok(latest.direct_messages.every((m) => m.conversation_id === `${lo}+${hi}`));
      assert.equal((await api(server, '/direct_messages', { token: me.token })).status, 400);
    });

    it('GET /direct_messages ignores after_id by default: the newest page, newest first', async () => {
      const friend = server.addUser({ name: 'Pen pal' });
      const sent = Array.from({ length: 6 }, (_, i) => server.sendDirectMessage(friend.id, me.id, `p${i}`).id);
      const res = responseOf<{ direct_messages: DirectMessageJson[] }>(
        await api(server, `/direct_messages?other_user_id=${friend.id}&after_id=${sent[1]}&limit=2`, { token: me.token }),
      );
      assert.deepEqual(ids(res.direct_messages), [sent[5], sent[4]], 'as if after_id were absent');
      // Even after_id at the newest message is no "nothing new" (304): the newest page again.
      const atNewest = await api(server, `/direct_messages?other_user_id=${friend.id}&after_id=${sent[5]}`, { token: me.token });
      assert.equal(atNewest.status, 200);
      assert.deepEqual(ids(responseOf<{ direct_messages: DirectMessageJson[] }>(atNewest).direct_messages), [...sent].reverse());
    });

    it('GET /direct_messages holds at most 20 a page whatever limit says; a smaller limit is obeyed', async () => {
      const friend = server.addUser({ name: 'Chatty' });
      const sent = Array.from({ length: 30 }, (_, i) => server.sendDirectMessage(friend.id, me.id, `c${i}`).id);
      const dms = async (query: string): Promise<string[]> =>
        ids(responseOf<{ direct_messages: DirectMessageJson[] }>(await api(server, `/direct_messages?other_user_id=${friend.id}${query}`, { token: me.token })).direct_messages);
      assert.deepEqual(await dms('&limit=100'), sent.slice(-20).reverse());
      assert.deepEqual(await dms(`&before_id=${sent[25]}&limit=50`), sent.slice(5, 25).reverse());
      assert.deepEqual(await dms(`&since_id=${sent[0]}&limit=100`), sent.slice(-20).reverse(), 'since_id too: the newest 20');
      assert.deepEqual(await dms('&limit=3'), sent.slice(-3).reverse());
    });
  });

  describe('writes (what bots do)', () => {
    it('POST /groups/:id/messages: 201 {message}, pushed like a member post', async () => {
      const listener = rawClient(server, bob.token);
      assert.equal(await subscribe(listener, `/user/${bob.id}`), 'ok');
      const res = await api(server, `/groups/${group.id}/messages`, {
        token: me.token,
        method: 'POST',
        body: { message: { source_guid: 'bot-guid-1', text: 'from a bot', attachments: [] } },
      });
      assert.equal(res.status, 201);
      const { message } = responseOf<{ message: GroupMessageJson }>(res);
      assert.equal(message.source_guid, 'bot-guid-1');
      assert.equal(message.user_id, me.id);
      const [line] = await receive(listener, `/user/${bob.id}`, (d) => (d.subject as Row).id === message.id);
      assert.equal(line!.type, 'line.create');
      assert.equal(server.message(message.id).text, 'from a bot');
      const empty = await api(server, `/groups/${group.id}/messages`, { token: me.token, method: 'POST', body: { message: { text: '' } } });
      assert.equal(empty.status, 400);
      const stranger = server.addUser({ name: 'Nosy' });
      const refused = await api(server, `/groups/${group.id}/messages`, { token: stranger.token, method: 'POST', body: { message: { text: 'hi' } } });
      assert.equal(refused.status, 403);
    });

    it('POST /direct_messages: 201 {direct_message}, pushed to both users', async () => {
      const listener = rawClient(server, bob.token);
      assert.equal(await subscribe(listener, `/user/${bob.id}`), 'ok');
      const res = await api(server, '/direct_messages', {
        token: me.token,
        method: 'POST',
        body: { direct_message: { source_guid: 'dm-guid', recipient_id: bob.id, text: 'psst' } },
      });
      assert.equal(res.status, 201);
      const { direct_message: dm } = responseOf<{ direct_message: DirectMessageJson }>(res);
      assert.equal(dm.recipient_id, bob.id);
      const [pushed] = await receive(listener, `/user/${bob.id}`, (d) => (d.subject as Row).id === dm.id);
      assert.equal(pushed!.type, 'direct_message.create');
      const unknown = await api(server, '/direct_messages', { token: me.token, method: 'POST', body: { direct_message: { recipient_id: '1', text: 'x' } } });
      assert.equal(unknown.status, 404);
    });

    it('POST /messages/:conversation_id/:message_id/like: 200, and the reaction is pushed', async () => {
      const listener = rawClient(server, bob.token);
      assert.equal(await subscribe(listener, `/group/${group.id}`), 'ok');
      const target = history[0]!; // bob's
      const res = await api(server, `/messages/${group.id}/${target}/like`, { token: me.token, method: 'POST' });
      assert.equal(res.status, 200);
      const [favorite] = await receive(listener, `/group/${group.id}`, (d) => d.type === 'favorite');
      assert.equal(((favorite!.subject as Row).line as Row).id, target);
      assert.deepEqual(server.message(target).favorited_by, [me.id]);
      const wrong = await api(server, `/messages/999/${target}/like`, { token: me.token, method: 'POST' });
      assert.equal(wrong.status, 404);
      const unlike = await api(server, `/messages/${group.id}/${target}/unlike`, { token: me.token, method: 'POST' });
      assert.equal(unlike.status, 200);
      assert.deepEqual(server.message(target).favorited_by, []);
    });
  });

  describe('injected failures', () => {
    it('failNextRest: 429 with Retry-After, N times, then normal service', async () => {
      server.failNextRest({ status: 429, times: 2, retryAfterSeconds: 3 });
      for (let i = 0; i < 2; i++) {
        const res = await api(server, '/users/me', { token: me.token });
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('retry-after'), '3');
        assert.deepEqual(res.body, { response: null, meta: { code: 429, errors: ['rate limited'] } });
      }
      assert.equal((await api(server, '/users/me', { token: me.token })).status, 200);
    });

    it('failNextRest: only paths under pathPrefix; 500 without Retry-After', async () => {
      server.failNextRest({ status: 500, pathPrefix: '/groups' });
      assert.equal((await api(server, '/users/me', { token: me.token })).status, 200);
      const res = await api(server, '/groups', { token: me.token });
      assert.equal(res.status, 500);
      assert.equal(res.headers.get('retry-after'), null);
      assert.equal(res.body?.meta.code, 500);
      assert.equal((await api(server, '/groups', { token: me.token })).status, 200);
      assert.deepEqual(server.requestLog.slice(-3).map((r) => [r.path, r.status]), [['/v3/users/me', 200], ['/v3/groups', 500], ['/v3/groups', 200]]);
    });
  });
});

describe('REST rate limit', { timeout: 10_000 }, () => {
  it('rateLimitPerSecond: 429 with no Retry-After past the limit, per token', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0, rateLimitPerSecond: 3 });
    try {
      const a = server.addUser({ name: 'A' });
      const b = server.addUser({ name: 'B' });
      const burst = await Promise.all(Array.from({ length: 4 }, () => api(server, '/users/me', { token: a.token })));
      assert.deepEqual(burst.map((r) => r.status).sort(), [200, 200, 200, 429]);
      assert.equal(burst.find((r) => r.status === 429)!.headers.get('retry-after'), null, 'no source shows GroupMe sending one');
      assert.equal((await api(server, '/users/me', { token: b.token })).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('REST readings the options switch', { timeout: 10_000 }, () => {
  it('directMessages: { afterId: "honoured", pageSize } gives after_id its group meaning and limit its room', async () => {
    const server = await createGroupMeServer({ directMessages: { afterId: 'honoured', pageSize: 100 } });
    try {
      const me = server.addUser({ name: 'Me' });
      const friend = server.addUser({ name: 'Friend' });
      const sent = Array.from({ length: 30 }, (_, i) => server.sendDirectMessage(friend.id, me.id, `c${i}`).id);
      const dms = async (query: string): Promise<string[]> =>
        ids(responseOf<{ direct_messages: DirectMessageJson[] }>(await api(server, `/direct_messages?other_user_id=${friend.id}${query}`, { token: me.token })).direct_messages);
      assert.deepEqual(await dms(`&after_id=${sent[1]}&limit=2`), [sent[2], sent[3]], 'ascending, right after it');
      assert.deepEqual(await dms('&limit=30'), [...sent].reverse(), 'more than 20 in a page');
      assert.equal((await api(server, `/direct_messages?other_user_id=${friend.id}&after_id=${sent[29]}`, { token: me.token })).status, 304);
    } finally {
      await server.close();
    }
  });

  it('groupHistory: { shortPages: false } fills every page', async () => {
    const server = await createGroupMeServer({ groupHistory: { shortPages: false } });
    try {
      const me = server.addUser({ name: 'Me' });
      const group = server.addGroup({ name: 'G', members: [me.id] });
      const history = Array.from({ length: 25 }, (_, i) => server.post(group.id, me.id, `m${i}`).id);
      assert.ok(history.some((id) => BigInt(id) % 7n === 0n));
      const page = async (query: string): Promise<string[]> =>
        ids(responseOf<{ messages: GroupMessageJson[] }>(await api(server, `/groups/${group.id}/messages${query}`, { token: me.token })).messages);
      assert.deepEqual(await page('?after_id=0&limit=100'), history);
      assert.deepEqual(await page(`?before_id=${history[24]}&limit=100`), history.slice(0, 24).reverse());
    } finally {
      await server.close();
    }
  });

  it('membershipStates: { pageSize } changes the page size; per_page still does not', async () => {
    const server = await createGroupMeServer({ membershipStates: { pageSize: 3 } });
    try {
      const me = server.addUser({ name: 'Me' });
      for (let i = 0; i < 7; i++) server.addGroup({ name: `g${i}`, members: [me.id] });
      const sizes: number[] = [];
      for (let page = 1; page <= 4; page++) {
        sizes.push(responseOf<Row[]>(await api(server, `/memberships/states?page=${page}&per_page=10`, { token: me.token })).length);
      }
      assert.deepEqual(sizes, [3, 3, 1, 0]);
    } finally {
      await server.close();
    }
  });

  it('refuses nonsense options', async () => {
    await assert.rejects(createGroupMeServer({ directMessages: { pageSize: 0 } }), RangeError);
    await assert.rejects(createGroupMeServer({ membershipStates: { pageSize: 2.5 } }), RangeError);
    await assert.rejects(createGroupMeServer({ directMessages: { afterId: 'sometimes' as 'ignored' } }), RangeError);
  });
});
