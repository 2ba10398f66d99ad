import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ApiError, AuthenticationError, GroupMeApi, RateLimitError } from '../../src/index.js';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';

describe('GroupMeApi', { timeout: 20_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let bob: SimUser;
  let group: SimGroup;
  let api: GroupMeApi;
  const fast = { retries: 2, baseDelayMs: 1, maxDelayMs: 50 };

  before(async () => {
    // Routes, not pacing: one token sends many requests back to back here.
    server = await createGroupMeServer({ pingIntervalMs: 0, rateLimitPerSecond: 0 });
    me = server.addUser({ name: 'Me' });
    bob = server.addUser({ name: 'Bob' });
    group = server.addGroup({ name: 'G', members: [me.id, bob.id] });
    api = new GroupMeApi({ token: me.token, apiUrl: server.apiUrl, retry: fast });
  });
  after(() => server.close());

  it('reads the user, groups, membership states and chats', async () => {
    const user = await api.me();
    assert.equal(user.id, me.id);
    assert.equal(user.name, 'Me');
    const groups = await api.groups();
    assert.deepEqual(groups.map((g) => g.id), [group.id]);
    const states = await api.membershipStates();
    assert.deepEqual(states, [{ groupId: group.id, state: 'active' }]);
    server.addChat(me.id, bob.id);
    const chats = await api.chats();
    assert.equal(chats.length, 1);
    assert.equal(chats[0]?.otherUser.id, bob.id);
    assert.match(chats[0]!.chatId, /^\d+\+\d+$/);
  });

  it('pages messages with afterId in ascending order and reads 304 as no messages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(String(server.post(group.id, bob.id, `m${i}`).id));
    const afterFirst = await api.groupMessages(group.id, { afterId: ids[0]!, limit: 3 });
    assert.deepEqual(afterFirst.map((m) => m.text), ['m1', 'm2', 'm3']);
    assert.ok(afterFirst.every((m) => m.groupId === group.id));
    const none = await api.groupMessages(group.id, { afterId: ids[4]! });
    assert.equal(none.length, 0);
    // What a call returns is the caller's, empty or not: never the parser's shared empty list.
    assert.ok(!Object.isFrozen(none));
    none.push(afterFirst[0]!);
    const newest = await api.groupMessages(group.id, { limit: 2 });
    assert.deepEqual(newest.map((m) => m.text), ['m4', 'm3']);
  });

  it('reads direct messages by thread id in either spelling', async () => {
    server.sendDirectMessage(bob.id, me.id, 'dm one');
    const [lo, hi] = BigInt(me.id) < BigInt(bob.id) ? [me.id, bob.id] : [bob.id, me.id];
    for (const chatId of [`${lo}+${hi}`, `${lo}_${hi}`]) {
      const messages = await api.directMessages(chatId);
      assert.ok(messages.some((m) => m.text === 'dm one' && m.senderId === bob.id));
    }
  });

  it('retries 429s and, for reads, 500s', async () => {
    server.failNextRest({ status: 429, times: 1 });
    server.failNextRest({ status: 500, times: 1 });
    assert.equal((await api.me()).id, me.id);
  });

  it('waits as long as Retry-After says, however short its own backoff (mocked clock)', async (t) => {
    // Real requests to the look-alike server; only the clock the client waits on is mocked.
    // A Retry-After of 30 s against a 1 ms backoff: a client that ignored the header would
    // send its retry on the next tick.
    const sent: number[] = [];
    const answered: number[] = [];
    const isMe = (request: { path?: string }): boolean => request.path?.startsWith('/v3/users/me') === true;
    const onStart = (message: unknown): void => void (isMe((message as { request: { path?: string } }).request) && sent.push(Date.now()));
    const onFinish = (message: unknown): void => void (isMe((message as { request: { path?: string } }).request) && answered.push(Date.now()));
    diagnostics.subscribe('http.client.request.start', onStart);
    diagnostics.subscribe('http.client.response.finish', onFinish);
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const patient = new GroupMeApi({ token: me.token, apiUrl: server.apiUrl, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 60_000 } });
      server.failNextRest({ status: 429, times: 1, retryAfterSeconds: 30, pathPrefix: '/users/me' });
      let settled = false;
      const call = patient.me().finally(() => (settled = true));
      // The clock moves only here, half a second a turn, while the sockets work for real.
      while (!settled) {
        t.mock.timers.tick(500);
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal((await call).id, me.id);
      assert.equal(sent.length, 2, 'one retry');
      assert.ok(sent[1]! - answered[0]! >= 30_000, `retried ${sent[1]! - answered[0]!} ms (mocked) after the 429`);
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onStart);
      diagnostics.unsubscribe('http.client.response.finish', onFinish);
    }
  });

  it('gives up with RateLimitError and ApiError carrying meta.errors when failures persist', async () => {
    server.failNextRest({ status: 429, times: 3 });
    await assert.rejects(api.me(), RateLimitError);
    server.failNextRest({ status: 500, times: 3 });
    await assert.rejects(api.me(), (error: unknown) => error instanceof ApiError && error.status === 500);
    await assert.rejects(api.groupMessages('999999'), (error: unknown) => error instanceof ApiError && error.status >= 400);
  });

  it('answers a bad token with AuthenticationError that never contains the token', async () => {
    const token = 'secret-token-should-never-show-up';
    const bad = new GroupMeApi({ token, apiUrl: server.apiUrl, retry: fast });
    const error = await bad.me().then(() => null, (e: unknown) => e);
    assert.ok(error instanceof AuthenticationError);
    assert.ok(!inspect(error, { depth: 20 }).includes(token));
    assert.ok(!String((error as Error).stack).includes(token));
  });

  it('posts group messages and DMs and likes messages, as a bot would', async () => {
    const posted = await api.sendGroupMessage(group.id, 'hello from a bot', { sourceGuid: 'guid-1' });
    assert.equal(posted.text, 'hello from a bot');
    assert.equal(posted.groupId, group.id);
    assert.equal(posted.userId, me.id);
    assert.equal(posted.sourceGuid, 'guid-1');
    assert.equal(server.message(posted.id).text, 'hello from a bot');

    const dm = await api.sendDirectMessage(bob.id, 'psst');
    assert.equal(dm.recipientId, bob.id);
    assert.equal(dm.text, 'psst');

    const theirs = server.post(group.id, bob.id, 'like me');
    await api.likeMessage(group.id, theirs.id);
    assert.deepEqual(server.message(theirs.id).favorited_by, [me.id]);
  });

  it('sends the token only in the X-Access-Token header', () => {
    assert.ok(server.requestLog.length > 5);
    assert.ok(server.requestLog.every((row) => row.tokenInHeader && !row.tokenInUrl));
  });
});
