import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Cluster, Redis } from 'ioredis';
import { groupChannel, parsePushMessage, userChannel, type GroupMePushError, type PushEvent } from '../../src/index.js';
import { decodeStreamEntry, RedisCursorStore, RedisStreamSink, type AppendOutcome, type RedisStreamSinkOptions } from '../../src/redis/index.js';
import { APPEND_SCRIPT_SHA } from '../../src/redis/append-script.js';
import { claimKey } from '../../src/redis/claim.js';
import { clusterForSuite } from './redis-cluster.js';

// The README says `groupme-push/redis` works with an ioredis `Cluster`: a claim key carries
// its stream's hash tag, so the one Lua script touches keys of one slot. These tests run
// the sink and the cursor store against a real 3-master Redis Cluster.

const post = (account: string, groupId: string, id: string, text = 'hi'): PushEvent =>
  parsePushMessage(userChannel(account), {
    type: 'line.create',
    alert: text,
    subject: { id, group_id: groupId, user_id: '2', sender_id: '2', sender_type: 'user', name: 'Two', text, created_at: 1_700_000_000, attachments: [], source_guid: id, system: false },
  });

const typing = (groupId: string, started: number): PushEvent => parsePushMessage(groupChannel(groupId), { type: 'typing', user_id: '2', started });

const perAccount = (account: string): string => `groupme:{${account}}:events`;

/** What each account receives: its own messages, one group message every account sees, and a typing event. */
function eventsOf(account: string): PushEvent[] {
  return [...Array.from({ length: 8 }, (_, i) => post(account, '9', `${account}${String(i).padStart(3, '0')}`)), post(account, '9', '777000'), typing('9', Number(account))];
}

const ACCOUNTS = ['1001', '1002', '1003', '1004', '1005', '1006'];

/** The sink's errors, kept so that a test that times out says why. */
function errorsOf(sink: RedisStreamSink): GroupMePushError[] {
  const errors: GroupMePushError[] = [];
  sink.on('error', (error) => void errors.push(error));
  return errors;
}

/**
 * `append()` never rejects: a write Redis (or ioredis) refuses is retried for ever. Waits
 * for `work` at most `ms`, then fails with the errors the sinks reported.
 */
async function within<T>(work: Promise<T>, reported: () => readonly GroupMePushError[], ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const errors = reported();
      const causes = [...new Set(errors.map((error) => `${error.message} Cause: ${String((error.cause as Error | undefined)?.message ?? error.cause)}`))];
      reject(new Error(`the sinks did not settle within ${ms} ms; ${errors.length} errors reported:\n${causes.join('\n')}`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every key of the cluster, by master node (`host:port`). */
async function keysByNode(redis: Cluster): Promise<Map<string, string[]>> {
  const byNode = new Map<string, string[]>();
  for (const node of redis.nodes('master')) byNode.set(`${node.options.host}:${node.options.port}`, (await node.keys('*')).sort());
  return byNode;
}

async function slotOf(redis: Cluster | Redis, key: string): Promise<number> {
  return Number(await redis.call('CLUSTER', 'KEYSLOT', key));
}

/** The master node (`host:port`) serving a key's slot, by the client's slot table. */
async function nodeOf(redis: Cluster, key: string): Promise<string> {
  const node = redis.slots[await slotOf(redis, key)]?.[0];
  assert.ok(node, `a node serves the slot of ${key}`);
  return node;
}

async function messageIds(redis: Cluster, stream: string): Promise<{ account: string; id: string }[]> {
  const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
  return entries
    .map(([entryId, fields]) => decodeStreamEntry(fields, entryId))
    .filter((entry) => entry.event.type === 'line.create')
    .map((entry) => ({ account: entry.account, id: entry.event.type === 'line.create' ? entry.event.message.id : '' }));
}

/** Two outcomes per event, one from each replica: exactly one of them wrote it. */
function assertOnceEach(outcomes: AppendOutcome[], events: number): void {
  assert.equal(outcomes.length, 2 * events);
  for (let i = 0; i < events; i++) {
    assert.deepEqual([outcomes[i], outcomes[events + i]].sort(), ['duplicate', 'written'], `event ${i}: one replica writes it, the other is refused`);
  }
}

describe('groupme-push/redis on a Redis Cluster (3 masters)', { timeout: 60_000 }, () => {
  const suite = clusterForSuite();

  /** Sinks and extra clients a test opened: closed after it, passed or failed, so no retry loop outlives it. */
  const opened: { close(): void }[] = [];

  /** Two replicas: one sink on the suite's client, one on a Cluster connection of its own. */
  async function replicas(options: Omit<RedisStreamSinkOptions, 'redis'> = {}): Promise<{ a: RedisStreamSink; b: RedisStreamSink; errors: () => GroupMePushError[] }> {
    const other = await suite.cluster.client();
    opened.push({ close: () => other.disconnect() });
    const a = new RedisStreamSink({ ...options, redis: suite.redis });
    const b = new RedisStreamSink({ ...options, redis: other });
    opened.push(a, b);
    const errors = [a, b].map(errorsOf);
    return { a, b, errors: () => errors.flat() };
  }

  beforeEach(async () => {
    await Promise.all(suite.redis.nodes('master').map((node) => node.flushall()));
  });

  afterEach(() => {
    for (const item of opened.splice(0)) item.close();
  });

  it('the cluster spreads its slots over three masters', async () => {
    assert.equal(suite.redis.nodes('master').length, 3);
    const info = (await suite.redis.call('CLUSTER', 'INFO')) as string;
    assert.match(info, /cluster_state:ok/);
    assert.match(info, /cluster_slots_assigned:16384/);
    assert.equal(new Set(suite.redis.slots.map((nodes) => nodes[0])).size, 3);
  });

  it("puts every claim in its stream's slot by Redis's own hash-tag rule, and refuses a stream key no claim can share a slot with", async () => {
    const usable = ['groupme:events', 'app:{events}', 'groupme:{42}:events', 'a{b', '{a}{b}', '}{a}', 'a{b}c}', '{{a}}', 'é{ü}'];
    const claim = { id: 'a:1:m:99', ttlSeconds: 60 };
    for (const key of usable) {
      assert.equal(await slotOf(suite.redis, claimKey(key, claim)), await slotOf(suite.redis, key), key);
      assert.doesNotThrow(() => new RedisStreamSink({ redis: suite.redis, stream: key }).close(), key);
    }
    // The first {...} is empty, or a } comes with no tag: Redis hashes these whole, and a
    // key holding a } cannot be wrapped into a tag of itself.
    for (const key of ['a{}b{c}', 'x}y', '{}', '']) {
      assert.throws(() => new RedisStreamSink({ redis: suite.redis, stream: key }), (error: unknown) => error instanceof TypeError && error.message.includes('hash tag'), key);
      const sink = new RedisStreamSink({ redis: suite.redis, stream: () => key });
      opened.push(sink);
      assert.throws(() => void sink.append('1', post('1', '10', '1')), TypeError, key);
    }
  });

  it('loads its script on every master at the first NOSCRIPT, not on one picked at random', async () => {
    const masters = suite.redis.nodes('master');
    await Promise.all(masters.map((node) => node.script('FLUSH')));
    const { a, errors } = await replicas({ stream: perAccount });
    await within(a.append(ACCOUNTS[0]!, post(ACCOUNTS[0]!, '10', '1')), errors);
    const loaded = await Promise.all(masters.map(async (node) => ((await node.script('EXISTS', APPEND_SCRIPT_SHA)) as number[])[0]));
    assert.deepEqual(loaded, [1, 1, 1]);
  });

  // A batch mixing accounts whose streams live on different nodes: ioredis refuses, whole,
  // a pipeline whose keys are served by more than one node, so the sink sends one per stream.
  it('RedisStreamSink, one stream per account with a hash tag: two replicas append the same events at once, each lands once per stream, the streams spread over the nodes', async () => {
    const { a, b, errors } = await replicas({ stream: perAccount });
    const work = ACCOUNTS.flatMap((account) => eventsOf(account).map((event) => ({ account, event })));
    // Both replicas at once, every account interleaved, as a relay holding them all would.
    const outcomes = await within(Promise.all([...work.map(({ account, event }) => a.append(account, event)), ...work.map(({ account, event }) => b.append(account, event))]), errors, 3_000);
    assert.deepEqual(errors(), [], 'no write failed (no CROSSSLOT)');
    assertOnceEach(outcomes, work.length);

    for (const account of ACCOUNTS) {
      const ids = await messageIds(suite.redis, perAccount(account));
      assert.deepEqual(ids.map((entry) => entry.id).sort(), eventsOf(account).flatMap((e) => (e.type === 'line.create' ? [e.message.id] : [])).sort(), `account ${account}: each message once`);
      assert.ok(ids.every((entry) => entry.account === account));
      assert.equal(await suite.redis.xlen(perAccount(account)), 10, `account ${account}: 9 messages and a typing event`);
    }

    // Where the keys are: each account's stream and its claims share a slot, and the
    // streams are on more than one node.
    const byNode = await keysByNode(suite.redis);
    const streamNodes = new Set<string>();
    for (const [node, keys] of byNode) {
      for (const key of keys.filter((k) => !k.includes(':claim:'))) {
        streamNodes.add(node);
        const claims = keys.filter((k) => k.startsWith(`${key}:claim:`));
        assert.equal(claims.length, 10, `${key}: its 10 claims are on its node ${node}`);
        for (const claim of claims) assert.equal(await slotOf(suite.redis, claim), await slotOf(suite.redis, key));
      }
    }
    assert.equal([...byNode.values()].flat().filter((k) => !k.includes(':claim:')).length, ACCOUNTS.length);
    assert.ok(streamNodes.size >= 2, `streams on ${streamNodes.size} node(s): ${JSON.stringify(Object.fromEntries(byNode))}`);
    assert.ok(new Set(await Promise.all(ACCOUNTS.map((account) => slotOf(suite.redis, perAccount(account))))).size >= 2);
  });

  it('RedisStreamSink, one stream per account, written one event at a time: each lands once per stream', async () => {
    const { a, b, errors } = await replicas({ stream: perAccount });
    const outcomes: AppendOutcome[][] = [[], []];
    await within(
      Promise.all(
        [a, b].map(async (sink, replica) => {
          for (const account of ACCOUNTS) for (const event of eventsOf(account)) outcomes[replica]!.push(await sink.append(account, event));
        }),
      ),
      errors,
    );
    assert.deepEqual(errors(), []);
    assertOnceEach(outcomes.flat(), ACCOUNTS.length * 10);
    for (const account of ACCOUNTS) assert.equal(await suite.redis.xlen(perAccount(account)), 10);
    const nodes = new Set(await Promise.all(ACCOUNTS.map((account) => nodeOf(suite.redis, perAccount(account)))));
    assert.ok(nodes.size >= 2, `streams on ${nodes.size} node(s)`);
  });

  it('RedisStreamSink, the default layout (one stream groupme:events): two replicas append the same events at once, each lands once per account', async () => {
    const { a, b, errors } = await replicas();
    const work = ACCOUNTS.flatMap((account) => eventsOf(account).map((event) => ({ account, event })));
    const outcomes = await within(Promise.all([...work.map(({ account, event }) => a.append(account, event)), ...work.map(({ account, event }) => b.append(account, event))]), errors);
    assert.deepEqual(errors(), [], 'no write failed (no CROSSSLOT)');
    assertOnceEach(outcomes, work.length);

    const ids = await messageIds(suite.redis, 'groupme:events');
    for (const account of ACCOUNTS) {
      const expected = eventsOf(account).flatMap((e) => (e.type === 'line.create' ? [e.message.id] : []));
      assert.deepEqual(ids.filter((entry) => entry.account === account).map((entry) => entry.id).sort(), expected.sort(), `account ${account}: each message once`);
    }
    assert.equal(await suite.redis.xlen('groupme:events'), work.length);

    // The stream and all its claims on one node, in one slot.
    const byNode = await keysByNode(suite.redis);
    const holding = [...byNode].filter(([, keys]) => keys.length > 0);
    assert.equal(holding.length, 1, 'one node holds the stream and its claims');
    const keys = holding[0]![1];
    assert.ok(keys.includes('groupme:events'));
    assert.equal(keys.filter((key) => key.startsWith('{groupme:events}:claim:')).length, work.length);
    const slot = await slotOf(suite.redis, 'groupme:events');
    for (const key of keys) assert.equal(await slotOf(suite.redis, key), slot, key);
  });

  it("RedisStreamSink, the default layout with dedupe 'message': one entry per message, whoever received it", async () => {
    const { a, b, errors } = await replicas({ dedupe: 'message' });
    const outcomes = await within(Promise.all(ACCOUNTS.flatMap((account) => [a.append(account, post(account, '9', '888000')), b.append(account, post(account, '9', '888000'))])), errors);
    assert.deepEqual(errors(), []);
    assert.deepEqual([...outcomes].sort(), ['written', ...Array<AppendOutcome>(2 * ACCOUNTS.length - 1).fill('duplicate')].sort());
    assert.equal(await suite.redis.xlen('groupme:events'), 1);
    assert.equal(await suite.redis.exists('{groupme:events}:claim:m:888000'), 1);
  });

  it('RedisCursorStore: a set cursor reads back, moves only forward, and two accounts keep theirs in different slots', async () => {
    // Two accounts whose hashes are served by different masters.
    const first = '1001';
    const candidates = ['1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009'];
    const firstNode = await nodeOf(suite.redis, `groupme:cursors:${first}`);
    let second: string | undefined;
    for (const account of candidates) {
      if ((await nodeOf(suite.redis, `groupme:cursors:${account}`)) !== firstNode) {
        second = account;
        break;
      }
    }
    assert.ok(second, 'an account whose cursors live on another node');

    const one = new RedisCursorStore({ redis: suite.redis, account: first });
    const two = new RedisCursorStore({ redis: suite.redis, account: second });
    assert.equal(await one.get('group:1'), undefined);
    await one.set('group:1', '999');
    assert.equal(await one.get('group:1'), '999');
    await one.set('group:1', '1000');
    await one.set('group:1', '998');
    assert.equal(await one.get('group:1'), '1000', 'a lower id does not overwrite a higher one (compared as numbers)');
    await one.set('dm:1+2', '5');
    await two.set('group:1', '42');
    await two.set('group:1', '41');
    assert.deepEqual(await one.entries(), { 'group:1': '1000', 'dm:1+2': '5' });
    assert.deepEqual(await two.entries(), { 'group:1': '42' });

    assert.notEqual(await slotOf(suite.redis, one.key), await slotOf(suite.redis, two.key));
    const byNode = await keysByNode(suite.redis);
    const holders = (key: string): string[] => [...byNode].filter(([, keys]) => keys.includes(key)).map(([node]) => node);
    assert.equal(holders(one.key).length, 1);
    assert.equal(holders(two.key).length, 1);
    assert.notEqual(holders(one.key)[0], holders(two.key)[0], 'the two hashes are on different nodes');
  });

  it('RedisCursorStore: replicas on their own Cluster connections write in any order, and the newest id wins', async () => {
    const other = await suite.cluster.client();
    opened.push({ close: () => other.disconnect() });
    const ids = Array.from({ length: 200 }, (_, i) => String(10_000 + i));
    await Promise.all(
      ACCOUNTS.flatMap((account) => {
        const a = new RedisCursorStore({ redis: suite.redis, account });
        const b = new RedisCursorStore({ redis: other, account });
        // Interleaved and reversed: each replica writes half.
        return ids.map((_, i) => (i % 2 === 0 ? a : b).set('group:9', ids[ids.length - 1 - i]!));
      }),
    );
    for (const account of ACCOUNTS) assert.equal(await new RedisCursorStore({ redis: other, account }).get('group:9'), '10199');
    const nodes = new Set(await Promise.all(ACCOUNTS.map((account) => nodeOf(suite.redis, `groupme:cursors:${account}`))));
    assert.ok(nodes.size >= 2, `cursor hashes on ${nodes.size} node(s)`);
  });
});
