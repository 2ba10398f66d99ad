import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { directMessageChannel, groupChannel, userChannel, type PushChannel, type PushEvent, type PushEventType } from '../../src/index.js';
import { decodeStreamEntry } from '../../src/redis/index.js';
import { createGroupMeServer, type GroupMeServer, type SimUser } from '../../src/testing/index.js';
import { buildWorld, dropWorld, killRelays, RelayProcess, relayFlags, tally, type World } from './relay-harness.js';
import { redisForSuite } from './redis-server.js';

/**
 * README, "Scaling out": two relays on the same accounts are active-active replicas, both
 * receive every event, and the stream refuses the second copy. For messages relay.test.ts
 * shows it; these tests show it for every other event type (claimed by a digest of type,
 * channel and payload), each once per account, and that pings are not relayed by default
 * (and, asked for, are never claimed: once per replica).
 */

/** One entry as the tests count it: account, type, channel, and what tells the event apart. */
const key = (account: string, type: PushEventType, channel: PushChannel, detail: string): string => `${account} ${type} ${channel.path} ${detail}`;

const reactionsOf = (reactions: readonly { code: string }[]): string => reactions.map((r) => r.code).join(' ') || 'none';

function keyOf(account: string, event: PushEvent): string {
  switch (event.type) {
    case 'line.create':
    case 'direct_message.create':
      return key(account, event.type, event.channel, event.message.id);
    case 'like.create':
    case 'favorite':
      return key(account, event.type, event.channel, `${event.message.id} by ${event.reactorId}: ${reactionsOf(event.reactions)}`);
    case 'message.update':
      return key(account, event.type, event.channel, `${event.message.id} "${event.message.text}"`);
    case 'message.deleted':
      return key(account, event.type, event.channel, event.messageId);
    case 'typing':
      return key(account, event.type, event.channel, `${event.userId} at ${event.startedAt?.getTime()}`);
    case 'read_receipt.create':
      return key(account, event.type, event.channel, `${event.messageId} by ${event.userId}`);
    case 'membership.create':
      return key(account, event.type, event.channel, event.group.id);
    default: // ping, subscribe, unknown: nothing but the payload tells them apart
      return key(account, event.type, event.channel, JSON.stringify(event.raw));
  }
}

/** Every entry of the stream as its key, in stream order. */
async function streamKeys(redis: Redis): Promise<string[]> {
  const entries = (await redis.xrange('groupme:events', '-', '+')) as [string, string[]][];
  return entries.map(([id, fields]) => {
    const { account, event } = decodeStreamEntry(fields, id);
    return keyOf(account, event);
  });
}

/** A relay's counts, from the last status line it printed (`--status-seconds`). */
interface RelayCounts {
  readonly connected: string;
  readonly written: number;
  readonly duplicates: number;
  readonly dropped: number;
  readonly buffered: number;
}

function lastStatus(relay: RelayProcess): RelayCounts | undefined {
  const lines = [...relay.stderr.matchAll(/status: (\d+\/\d+) accounts connected; (\d+) written, (\d+) duplicates refused, (\d+) dropped, (\d+) buffered/g)];
  const last = lines.at(-1);
  if (!last) return undefined;
  return { connected: last[1]!, written: Number(last[2]), duplicates: Number(last[3]), dropped: Number(last[4]), buffered: Number(last[5]) };
}

/**
 * Polls until the stream holds every expected key and each relay says it has handled
 * (written or refused) as many events as were expected, that is, every replica has seen
 * every event and nothing is still on its way; or until `giveUpMs` passed, when the
 * caller's assertions name what is wrong rather than a bare test timeout.
 */
async function untilSettled(redis: Redis, relays: readonly RelayProcess[], expected: readonly string[], giveUpMs = 30_000): Promise<{ keys: string[]; counts: (RelayCounts | undefined)[] }> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    const counts = relays.map(lastStatus);
    const keys = await streamKeys(redis);
    const present = new Set(keys);
    const handledAll = counts.every((c) => c !== undefined && c.buffered === 0 && c.written + c.duplicates === expected.length);
    if ((handledAll && expected.every((k) => present.has(k))) || Date.now() > deadline) return { keys, counts };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('groupme-push relay replicas, events other than messages', { timeout: 90_000 }, () => {
  let server: GroupMeServer;
  let world: World;
  const relays: RelayProcess[] = [];
  // Registered first, so it runs first: relays die before their Redis does.
  afterEach(() => killRelays(relays));
  const suite = redisForSuite();

  const start = (...extra: string[]): RelayProcess => {
    const relay = new RelayProcess([...relayFlags(suite.server.url, world, server), '--status-seconds', '0.2', ...extra]);
    relays.push(relay);
    return relay;
  };

  // A world of its own per test (no history for a relay to catch up), and a Redis of its own.
  // GroupMe's rate limit stays on: two replicas starting with --all share each token's ~10
  // requests a second, as they would against GroupMe, and must both get through the 429s.
  beforeEach(async () => {
    server = await createGroupMeServer();
    world = await buildWorld(server, 8);
  });

  afterEach(async () => {
    await server.close();
    await dropWorld(world);
  });

  it('two replicas with --all and the default types: reactions, edits, deletions, typing, read receipts, memberships, subscribe and unknown each land once per account; pings not at all', async () => {
    const a = start('--all');
    const b = start('--all');
    await Promise.all([a.ready(), b.ready()]);

    const { poster } = world;
    const acc = (i: number): SimUser => world.accounts[i]!;
    const expected: string[] = [];
    const expect = (accounts: readonly SimUser[], type: PushEventType, channel: (account: SimUser) => PushChannel, detail: string): void => {
      for (const account of accounts) expected.push(key(account.id, type, channel(account), detail));
    };
    const onUser = (account: SimUser): PushChannel => userChannel(account.id);

    // Pings first, on every channel the replicas hold: everything after them comes later on the same connections.
    assert.ok(server.ping().length > 0);

    // Group G0 holds accounts 0 and 4: its channel's events land once for each of them.
    const g0 = world.groups[0]!;
    const g0Accounts = [acc(0), acc(4)];
    assert.deepEqual(g0.members, g0Accounts.map((u) => u.id));
    const onG0 = (): PushChannel => groupChannel(g0.id);
    const post = server.post(g0.id, acc(0).id, 'rate me');
    expect(g0Accounts, 'line.create', onUser, post.id);
    server.react(poster.id, post.id, '👍');
    expect(g0Accounts, 'favorite', onG0, `${post.id} by ${poster.id}: 👍`);
    expect([acc(0)], 'like.create', onUser, `${post.id} by ${poster.id}: 👍`);
    server.react(acc(4).id, post.id, '🔥');
    expect(g0Accounts, 'favorite', onG0, `${post.id} by ${acc(4).id}: 👍 🔥`);
    expect([acc(0)], 'like.create', onUser, `${post.id} by ${acc(4).id}: 👍 🔥`);
    server.unreact(acc(4).id, post.id, '🔥');
    expect(g0Accounts, 'favorite', onG0, `${post.id} by ${acc(4).id}: 👍`);
    const edit = server.editMessage(post.id, 'rate me, please');
    expect(g0Accounts, 'message.update', onG0, `${post.id} "rate me, please"`);
    expect(g0Accounts, 'line.create', onUser, edit.notice.subject.id);
    const typing = server.typing(poster.id, g0.id);
    expect(g0Accounts, 'typing', onG0, `${poster.id} at ${typing.started}`);
    const deletion = server.deleteMessage(post.id);
    expect(g0Accounts, 'message.deleted', onG0, post.id);
    expect(g0Accounts, 'line.create', onUser, deletion.notice.subject.id);

    // The DM thread of account 1 with the poster.
    const dm = server.sendDirectMessage(acc(1).id, poster.id, 'psst');
    const onThread = (): PushChannel => directMessageChannel(dm.conversation_id);
    expect([acc(1)], 'direct_message.create', onUser, dm.id);
    server.react(poster.id, dm.id, '👍');
    expect([acc(1)], 'favorite', onThread, `${dm.id} by ${poster.id}: 👍`);
    expect([acc(1)], 'like.create', onUser, `${dm.id} by ${poster.id}: 👍`);
    server.readReceipt(poster.id, dm.conversation_id, dm.id);
    expect([acc(1)], 'read_receipt.create', onThread, `${dm.id} by ${poster.id}`);
    const dmTyping = server.typing(poster.id, dm.conversation_id);
    expect([acc(1)], 'typing', onThread, `${poster.id} at ${dmTyping.started}`);
    const dmEdit = server.editMessage(dm.id, 'psst!');
    expect([acc(1)], 'message.update', onThread, `${dm.id} "psst!"`);
    expect([acc(1)], 'direct_message.create', onUser, dmEdit.notice.subject.id);
    const dmDeletion = server.deleteMessage(dm.id);
    expect([acc(1)], 'message.deleted', onThread, dm.id);
    expect([acc(1)], 'direct_message.create', onUser, dmDeletion.notice.subject.id);

    // Accounts 2 and 6 are each added to a new group.
    for (const [name, account] of [['H', acc(2)], ['K', acc(6)]] as const) {
      const group = server.addGroup({ name, members: [poster.id] });
      const { announcement } = server.addMember(group.id, account.id, poster.id);
      expect([account], 'membership.create', onUser, group.id);
      expect([account], 'line.create', onUser, announcement.id);
    }

    // What GroupMe might send on a group's channel besides: `subscribe`, and a type this version does not know.
    const g1 = world.groups[1]!;
    const g1Accounts = [acc(1), acc(5)];
    assert.deepEqual(g1.members, g1Accounts.map((u) => u.id));
    const subscribe = { type: 'subscribe' };
    const unknown = { type: 'poll.create', subject: { id: 'poll-1' } };
    server.publishRaw(`/group/${g1.id}`, subscribe);
    server.publishRaw(`/group/${g1.id}`, unknown);
    expect(g1Accounts, 'subscribe', () => groupChannel(g1.id), JSON.stringify(subscribe));
    expect(g1Accounts, 'unknown', () => groupChannel(g1.id), JSON.stringify(unknown));

    const { keys, counts } = await untilSettled(suite.redis, [a, b], expected);
    const present = new Set(expected);
    assert.deepEqual(
      { ...tally(expected, keys), unexpected: keys.filter((k) => !present.has(k)) },
      { doubled: [], missing: [], unexpected: [] },
      'every expected entry once, and nothing else (no ping)',
    );
    assert.equal(keys.length, expected.length);

    // Each replica received every event: it wrote it, or the other had and it was refused.
    for (const count of counts) {
      assert.ok(count, 'a status line from each relay');
      assert.deepEqual({ connected: count.connected, handled: count.written + count.duplicates, dropped: count.dropped }, { connected: '8/8', handled: expected.length, dropped: 0 });
    }
    assert.equal(counts[0]!.written + counts[1]!.written, expected.length, 'each entry written by one replica');
    assert.equal(counts[0]!.duplicates + counts[1]!.duplicates, expected.length, 'and refused to the other');

    const types = new Set(keys.map((k) => k.split(' ')[1]));
    for (const type of ['like.create', 'favorite', 'message.update', 'message.deleted', 'typing', 'read_receipt.create', 'membership.create', 'subscribe', 'unknown']) {
      assert.ok(types.has(type), `entries of type ${type}`);
    }
    assert.ok(!types.has('ping'));
  });

  it('asked for with --type ping, pings are relayed but never claimed: once per replica, for each account', async () => {
    const a = start('--type', 'ping');
    const b = start('--type', 'ping');
    await Promise.all([a.ready(), b.ready()]);

    const channels = server.ping();
    const expected = world.accounts.map((account) => key(account.id, 'ping', userChannel(account.id), JSON.stringify({ type: 'ping' })));
    assert.deepEqual([...channels].sort(), world.accounts.map((account) => `/user/${account.id}`).sort(), 'without --all each replica holds /user only');

    const { keys, counts } = await untilSettled(suite.redis, [a, b], expected);
    const perKey = new Map<string, number>();
    for (const k of keys) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(perKey), Object.fromEntries(expected.map((k) => [k, 2])));
    for (const count of counts) {
      assert.ok(count, 'a status line from each relay');
      assert.deepEqual({ written: count.written, duplicates: count.duplicates }, { written: expected.length, duplicates: 0 });
    }
  });
});
