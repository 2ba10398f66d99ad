import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { MemoryCursorStore, PushClient, type PushEvent } from '../../src/index.js';
import { parsePushMessage } from '../../src/events/parse.js';
import { groupChannel, userChannel } from '../../src/events/channel.js';
import {
  decodeStreamEntry,
  RedisStreamSink,
  RedisWriteError,
  SinkOverflowError,
  StreamEntryError,
  type AppendOutcome,
} from '../../src/redis/index.js';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { until } from '../support/wait.js';
import { RedisServer } from './redis-server.js';

/** A connection that fails fast while Redis is away, so the sink's own retries are what is tested. */
async function connect(redis: RedisServer): Promise<Redis> {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50, lazyConnect: true });
  client.on('error', () => undefined); // refused connections while Redis is stopped are the point
  await client.connect();
  return client;
}

async function entries(redis: Redis, stream = 'groupme:events'): Promise<[string, string[]][]> {
  return (await redis.xrange(stream, '-', '+')) as [string, string[]][];
}

const post = (groupId: string, id: string, text = 'hi'): PushEvent =>
  parsePushMessage(userChannel('1'), {
    type: 'line.create',
    alert: text,
    subject: { id, group_id: groupId, user_id: '2', sender_id: '2', sender_type: 'user', name: 'Two', text, created_at: 1_700_000_000, attachments: [], source_guid: id, system: false },
  });

const typing = (groupId: string, started: number): PushEvent => parsePushMessage(groupChannel(groupId), { type: 'typing', user_id: '2', started });

describe('RedisStreamSink', { timeout: 60_000 }, () => {
  let redisServer: RedisServer;
  let redis: Redis;

  // Each test has a Redis of its own, on a port of its own.
  beforeEach(async () => {
    redisServer = await RedisServer.start();
    redis = await connect(redisServer);
  });

  afterEach(async () => {
    redis.disconnect();
    await redisServer.close();
  });

  it('writes what a client emits, and every entry decodes back into the event emitted', async () => {
    const server: GroupMeServer = await createGroupMeServer();
    try {
      const me: SimUser = server.addUser({ name: 'Me' });
      const alice: SimUser = server.addUser({ name: 'Alice' });
      const group: SimGroup = server.addGroup({ name: 'G', members: [me.id, alice.id] });
      server.addChat(me.id, alice.id);
      const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, subscribeAll: true });
      const sink = new RedisStreamSink({ redis });
      const emitted: PushEvent[] = [];
      client.on('event', (event) => void emitted.push(event));
      sink.attach(client, { types: ['line.create', 'direct_message.create', 'like.create', 'favorite', 'message.update', 'message.deleted', 'typing', 'read_receipt.create', 'membership.create'] });
      await client.start();

      const mine = server.post(group.id, me.id, 'rate me');
      server.post(group.id, alice.id, 'hello 👋', { attachments: [{ type: 'image', url: 'https://i.groupme.com/1.png' }] });
      const dm = server.sendDirectMessage(alice.id, me.id, 'psst');
      server.react(alice.id, mine.id, '👍');
      server.editMessage(mine.id, 'rate me, please');
      server.typing(alice.id, group.id);
      server.readReceipt(alice.id, dm.conversation_id, dm.id);
      server.deleteMessage(mine.id);
      const other = server.addGroup({ name: 'H', members: [alice.id] });
      server.addMember(other.id, me.id, alice.id);
      await until(() => emitted.filter((e) => e.type === 'message.deleted').length > 0 && emitted.some((e) => e.type === 'membership.create'));
      await sink.drained();
      await client.stop();

      const decoded = (await entries(redis)).map(([id, fields]) => decodeStreamEntry(fields, id));
      const types = new Set(decoded.map((entry) => entry.event.type));
      for (const type of ['line.create', 'direct_message.create', 'like.create', 'favorite', 'message.update', 'message.deleted', 'typing', 'read_receipt.create', 'membership.create']) {
        assert.ok(types.has(type as PushEvent['type']), `an entry of type ${type}`);
      }
      assert.deepEqual(decoded.map((entry) => entry.event), emitted.filter((e) => e.type !== 'ping' && e.type !== 'subscribe'));
      for (const entry of decoded) assert.equal(entry.account, me.id);
      assert.match(decoded[0]!.entryId!, /^\d+-\d+$/);
    } finally {
      await server.close();
    }
  });

  it('refuses the second copy of an event, from another connection too, and lets each account have its own', async () => {
    const other = await connect(redisServer);
    try {
      const a = new RedisStreamSink({ redis });
      const b = new RedisStreamSink({ redis: other });
      const outcomes = await Promise.all([a.append('1', post('9', '100')), b.append('1', post('9', '100')), a.append('1', typing('9', 5)), b.append('1', typing('9', 5))]);
      assert.deepEqual([...outcomes].sort(), ['duplicate', 'duplicate', 'written', 'written']);
      assert.equal(await redis.xlen('groupme:events'), 2);
      assert.equal(await a.append('3', post('9', '100')), 'written', "another account's copy is its own entry");
      // A typing event with another start time is another event, not a duplicate.
      assert.equal(await a.append('1', typing('9', 6)), 'written');
      // Pings are never refused.
      const ping = parsePushMessage(userChannel('1'), { type: 'ping' });
      assert.deepEqual(await Promise.all([a.append('1', ping), b.append('1', ping)]), ['written', 'written']);
    } finally {
      other.disconnect();
    }
  });

  it("with dedupe 'message', keeps one entry per message whoever received it", async () => {
    const sink = new RedisStreamSink({ redis, dedupe: 'message', stream: 'archive' });
    assert.deepEqual(await Promise.all([sink.append('1', post('9', '200')), sink.append('3', post('9', '200'))]), ['written', 'duplicate']);
    assert.equal(await redis.xlen('archive'), 1);
  });

  it('claims a message for messageClaimSeconds: the claim key lives in the stream\'s slot and expires', async () => {
    const sink = new RedisStreamSink({ redis, stream: 'app:{events}', messageClaimSeconds: 120 });
    await sink.append('1', post('9', '300'));
    const [claim] = await redis.keys('*claim*');
    assert.equal(claim, 'app:{events}:claim:a:1:m:300');
    const ttl = await redis.ttl(claim!);
    assert.ok(ttl > 0 && ttl <= 120, `ttl ${ttl}`);
    const plain = new RedisStreamSink({ redis });
    await plain.append('1', post('9', '301'));
    assert.ok((await redis.keys('{groupme:events}:claim:*')).length === 1);
  });

  it('trims with MAXLEN ~ when asked', async () => {
    const sink = new RedisStreamSink({ redis, maxLen: 10 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => sink.append('1', post('9', String(1000 + i)))));
    const length = await redis.xlen('groupme:events');
    assert.ok(length >= 10 && length < 1000, `length ${length}`);
  });

  it('holds events while Redis is away and writes each once when it is back', async () => {
    const durable = await RedisServer.start({ durable: true });
    const client = await connect(durable);
    try {
      const sink = new RedisStreamSink({ redis: client, retry: { baseDelayMs: 20, maxDelayMs: 100 } });
      const errors: unknown[] = [];
      const availability: boolean[] = [];
      sink.on('error', (error) => void errors.push(error));
      sink.on('availability', ({ available }) => void availability.push(available));
      assert.equal(await sink.append('1', post('9', '400')), 'written');
      await durable.stop();
      const settled: AppendOutcome[] = [];
      const during = Array.from({ length: 50 }, (_, i) => sink.append('1', post('9', String(401 + i))).then((outcome) => void settled.push(outcome)));
      await until(() => errors.length >= 3);
      assert.equal(settled.length, 0, 'nothing counts as written while Redis is away');
      assert.equal(sink.stats.buffered, 50);
      assert.ok(errors.every((error) => error instanceof RedisWriteError));
      await durable.restart();
      await Promise.all(during);
      assert.deepEqual([...new Set(settled)], ['written']);
      const ids = (await entries(client)).map(([, fields]) => decodeStreamEntry(fields).event).map((e) => (e.type === 'line.create' ? e.message.id : ''));
      assert.deepEqual(ids, Array.from({ length: 51 }, (_, i) => String(400 + i)));
      assert.deepEqual(availability, [false, true]);
    } finally {
      client.disconnect();
      await durable.close();
    }
  });

  it("keeps a client's cursor behind every message not yet in the stream, while Redis is away", async () => {
    const away = await RedisServer.start({ durable: true });
    const client = await connect(away);
    const server = await createGroupMeServer();
    try {
      const me = server.addUser({ name: 'Me' });
      const alice = server.addUser({ name: 'Alice' });
      const group = server.addGroup({ name: 'G', members: [me.id, alice.id] });
      const cursors = new MemoryCursorStore();
      const push = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, cursorStore: cursors });
      const sink = new RedisStreamSink({ redis: client, retry: { baseDelayMs: 20, maxDelayMs: 50 } });
      const failures: unknown[] = [];
      sink.on('error', (error) => void failures.push(error));
      sink.attach(push);
      const seen: string[] = [];
      push.on('line.create', (event) => void seen.push(event.message.id));
      await push.start();
      const first = server.post(group.id, alice.id, 'first');
      await until(() => cursors.entries()[`group:${group.id}`] === first.id);

      await away.stop();
      const second = server.post(group.id, alice.id, 'second');
      await until(() => seen.includes(second.id) && failures.length >= 3);
      assert.equal(cursors.entries()[`group:${group.id}`], first.id, 'the cursor waits for the entry');
      await away.restart();
      await until(() => cursors.entries()[`group:${group.id}`] === second.id);
      const ids = (await entries(client)).map(([, fields]) => decodeStreamEntry(fields).event).map((e) => (e.type === 'line.create' ? e.message.id : ''));
      assert.deepEqual(ids, [first.id, second.id]);
      await push.stop();
    } finally {
      client.disconnect();
      await server.close();
      await away.close();
    }
  });

  it('when full, drops events GroupMe keeps no history of, and makes new messages wait for room', async () => {
    const away = await RedisServer.start();
    const client = await connect(away);
    try {
      const sink = new RedisStreamSink({ redis: client, maxBuffered: 2, retry: { baseDelayMs: 20, maxDelayMs: 50 } });
      const errors: unknown[] = [];
      sink.on('error', (error) => void errors.push(error));
      await away.stop();
      const first = [sink.append('1', post('9', '500')), sink.append('1', post('9', '501'))];
      assert.equal(await sink.append('1', typing('9', 1)), 'dropped');
      assert.ok(errors.some((error) => error instanceof SinkOverflowError));
      let thirdSettled = false;
      const third = sink.append('1', post('9', '502')).then((outcome) => {
        thirdSettled = true;
        return outcome;
      });
      assert.equal(sink.stats.waiting, 1);
      await until(() => errors.filter((error) => error instanceof RedisWriteError).length >= 2);
      assert.equal(thirdSettled, false);
      await away.restart();
      assert.deepEqual(await Promise.all([...first, third]), ['written', 'written', 'written']);
      assert.equal(sink.stats.dropped, 1);
    } finally {
      client.disconnect();
      await away.close();
    }
  });

  it('refuses to decode an entry it cannot read, in one sentence', () => {
    assert.throws(() => decodeStreamEntry({ v: '1', type: 'typing' }, '1-0'), (error: unknown) => error instanceof StreamEntryError && /entry 1-0 cannot be decoded: it has no "channel" field\.$/.test(error.message));
    assert.throws(() => decodeStreamEntry({ v: '9', type: 'typing' }), /format version "9"/);
    assert.throws(() => decodeStreamEntry({ v: '1', type: 'typing', account: '1', channel: '/user/1', origin: 'push', id: '', conversation: '', raw: '{' }), /raw payload is not JSON/);
  });
});
