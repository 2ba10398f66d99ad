// Delivery guarantees, point 3 of the specification: `events()` always ends.
//  - stop(): a pending next() resolves {done: true}, and so do later ones;
//  - the client fails (revoked token): a pending next() rejects with the final error (an
//    AuthenticationError), and next() then gives {done: true};
//  - two concurrent next() calls both settle (each gets an event, or both end at stop()),
//    also when both events belong to one conversation;
//  - removeAllListeners() does not detach an iterator;
//  - a conversation's cursor moves to a message yielded by the iterator only once the
//    consumer asks for the next event;
//  - an event the loop never yielded (buffered when it ended by return(), its signal or
//    stop()) does not move its conversation's cursor: after stop(), a new client on the same
//    FileCursorStore file delivers it again;
//  - overflow: with maxQueuedPerConversation 100, a consumer that stops pulling while 500
//    messages are published in one group gets all 500 exactly once and in id order when it
//    resumes (the client fetches over REST what it dropped from memory).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AuthenticationError, FileCursorStore, MemoryCursorStore, PushClient, type PushEvent } from '../../src/index.js';
import { QUICK, Scene, ascending, recordEvents, track, turns, waitFor, within, settleWithin, type Tracked } from '../support/guarantees.js';
import { nextEvent } from '../support/wait.js';

/** Pulls from `iterator` until an event matches; the others are returned too, in order. */
async function pullUntil(iterator: AsyncIterator<PushEvent>, match: (e: PushEvent) => boolean, what: string): Promise<PushEvent[]> {
  const pulled: PushEvent[] = [];
  for (;;) {
    const result = await settleWithin(iterator.next(), `${what} (after ${pulled.length} events)`);
    assert.equal(result.done, false, 'the iterator ended early');
    pulled.push(result.value as PushEvent);
    if (match(result.value as PushEvent)) return pulled;
  }
}

function textOf(result: Tracked<IteratorResult<PushEvent>>): string {
  const outcome = result.outcome;
  if (!outcome) return 'pending';
  if (outcome.kind === 'rejected') return `rejected: ${String(outcome.reason)}`;
  const { value, done } = outcome.value;
  if (done) return 'done';
  return value.type === 'line.create' || value.type === 'direct_message.create' ? `${value.type}:${value.message.text}` : value.type;
}

describe('guarantees: events() always ends (point 3)', { timeout: 30_000 }, () => {
  it('stop() ends a pending next() and every later one with {done: true}', async () => {
    const scene = await Scene.create();
    try {
      await scene.start();
      const iterator = scene.client.events();
      const pending = iterator.next();
      await scene.client.stop();
      assert.equal((await settleWithin(pending, 'the pending next() to end')).done, true);
      assert.equal((await settleWithin(iterator.next(), 'a later next()')).done, true);
      assert.equal((await settleWithin(iterator.next(), 'a later next()')).done, true);
    } finally {
      await scene.close();
    }
  });

  it('a client that fails rejects a pending next() with the AuthenticationError, then ends', async () => {
    const scene = await Scene.create();
    try {
      const { client, server, me } = scene;
      await scene.start();
      const iterator = client.events();
      const pending = track(iterator.next());
      const failed = nextEvent(client, 'state', (s) => s.current === 'failed');
      server.revokeToken(me.token);
      server.dropConnections();
      const change = await settleWithin(failed, 'the client to fail');
      assert.ok(change.error instanceof AuthenticationError);
      const settled = await within(() => pending.settled, 3_000);
      assert.ok(settled, 'a pending next() settles when the client fails');
      assert.equal(pending.outcome?.kind, 'rejected', `a pending next() rejects when the client fails; got ${textOf(pending)}`);
      assert.ok(pending.outcome.kind === 'rejected' && pending.outcome.reason instanceof AuthenticationError, String(pending.outcome));
      assert.equal((await settleWithin(iterator.next(), 'next() after the failure')).done, true, 'after the rejection the iterator is done');
      assert.equal((await settleWithin(iterator.next(), 'a later next()')).done, true);
    } finally {
      await scene.close();
    }
  });

  it('two concurrent next() calls each get an event', async () => {
    const scene = await Scene.create();
    try {
      const { client, server, group, friend, me } = scene;
      await scene.start();
      const iterator = client.events();
      const a = track(iterator.next());
      const b = track(iterator.next());
      // Two conversations, so that neither event has to wait for the other to be consumed.
      server.post(group.id, friend.id, 'one');
      server.sendDirectMessage(friend.id, me.id, 'two');
      await waitFor(() => scene.messageIds().length === 2, 'both messages to reach the listeners');
      const both = await within(() => a.settled && b.settled, 3_000);
      assert.ok(both, `both concurrent next() calls settle: first ${textOf(a)}, second ${textOf(b)}`);
      assert.deepEqual([textOf(a), textOf(b)].sort(), ['direct_message.create:two', 'line.create:one']);
    } finally {
      await scene.close();
    }
  });

  it('two concurrent next() calls each get an event when both events belong to one conversation', async () => {
    const scene = await Scene.create();
    try {
      const { client, server, group, friend } = scene;
      await scene.start();
      const iterator = client.events();
      const a = track(iterator.next());
      const b = track(iterator.next());
      // One conversation: the second message goes out only once the first counts as handled,
      // and the consumer said so by already waiting with a second next().
      server.post(group.id, friend.id, 'one');
      server.post(group.id, friend.id, 'two');
      const both = await within(() => a.settled && b.settled, 3_000);
      assert.ok(both, `both concurrent next() calls settle: first ${textOf(a)}, second ${textOf(b)}`);
      assert.deepEqual([textOf(a), textOf(b)], ['line.create:one', 'line.create:two']);
    } finally {
      await scene.close();
    }
  });

  it('two concurrent next() calls both end at stop()', async () => {
    const scene = await Scene.create();
    try {
      await scene.start();
      const iterator = scene.client.events();
      const a = track(iterator.next());
      const b = track(iterator.next());
      await scene.client.stop();
      const both = await within(() => a.settled && b.settled, 3_000);
      assert.ok(both, `both concurrent next() calls settle at stop(): first ${textOf(a)}, second ${textOf(b)}`);
      assert.deepEqual([textOf(a), textOf(b)], ['done', 'done']);
    } finally {
      await scene.close();
    }
  });

  it('removeAllListeners() does not detach an iterator', async () => {
    const scene = await Scene.create();
    try {
      const { client, server, group, friend } = scene;
      await scene.start();
      const iterator = client.events();
      client.removeAllListeners();
      const texts: string[] = [];
      client.on('line.create', (e) => void texts.push(e.message.text ?? ''));
      server.post(group.id, friend.id, 'after removeAllListeners');
      await waitFor(() => texts.length === 1, 'the message to reach the new listener');
      const next = track(iterator.next());
      const settled = await within(() => next.settled, 3_000);
      assert.ok(settled, 'the iterator still receives events after removeAllListeners()');
      assert.equal(textOf(next), 'line.create:after removeAllListeners');
    } finally {
      await scene.close();
    }
  });

  it("a conversation's cursor moves to a yielded message only once the consumer asks for the next event", async () => {
    const store = new MemoryCursorStore();
    const scene = await Scene.create({ cursorStore: store });
    try {
      const { client, server, group, friend, me } = scene;
      const key = `group:${group.id}`;
      const dmKey = `dm:${scene.chatId}`;
      const iterator = client.events();
      await scene.start();
      const m = server.post(group.id, friend.id, 'M').id;
      await pullUntil(iterator, (e) => e.type === 'line.create' && e.message.id === m, 'the iterator to yield M');
      // The consumer holds M. Something later, in another conversation, goes all the way
      // through (its listener ran, its cursor moved): the client is past M, but not done with it.
      const dms: string[] = [];
      client.on('direct_message.create', (e) => void dms.push(e.message.id));
      const marker = server.sendDirectMessage(friend.id, me.id, 'marker').id;
      await waitFor(() => dms.includes(marker), 'the marker DM to reach a listener');
      await turns();
      assert.notEqual(store.entries()[key], m, 'the cursor is not M while the consumer has not asked for the next event');

      const next = iterator.next(); // the consumer is done with M
      const moved = await within(() => store.entries()[key] === m, 3_000);
      assert.ok(moved, `the cursor moves to M once the consumer asks for the next event (it is ${store.entries()[key]})`);
      const result = await settleWithin(next, 'the next event (the marker)');
      assert.equal(result.done, false);
      assert.ok(result.value.type === 'direct_message.create' && result.value.message.id === marker);
      void iterator.next(); // the consumer is done with the marker too (nothing more comes; stop() ends it)
      await waitFor(() => store.entries()[dmKey] === marker, 'the DM cursor to reach the marker');
    } finally {
      await scene.close();
    }
  });

  it('a loop that ends by return() or its signal moves no cursor past an event it never yielded', async () => {
    for (const how of ['return()', 'signal'] as const) {
      const store = new MemoryCursorStore();
      const scene = await Scene.create({ cursorStore: store });
      try {
        const { client, server, group, friend, me } = scene;
        const dmKey = `dm:${scene.chatId}`;
        const abort = new AbortController();
        const iterator = client.events({ signal: abort.signal });
        // An async listener as well: the loop's word must count when other promises are awaited with it.
        client.on('direct_message.create', async () => undefined);
        await scene.start();
        // A DM the loop handles, so that the thread has a cursor to stay at.
        const d0 = server.sendDirectMessage(friend.id, me.id, 'd0').id;
        await pullUntil(iterator, (e) => e.type === 'direct_message.create' && e.message.id === d0, `${how}: the iterator to yield d0`);
        const a = server.post(group.id, friend.id, 'A').id;
        await pullUntil(iterator, (e) => e.type === 'line.create' && e.message.id === a, `${how}: the iterator to yield A`); // d0 is handled
        await waitFor(() => store.entries()[dmKey] === d0, `${how}: the DM cursor to reach d0`);
        // The loop holds A; B arrives in the DM thread and waits in the loop's buffer.
        const b = server.sendDirectMessage(friend.id, me.id, 'B').id;
        await scene.received([b], `${how}: B to reach the listeners (and the loop's buffer)`);
        if (how === 'return()') await iterator.return!();
        else abort.abort();
        await turns();
        assert.equal(store.entries()[dmKey], d0, `${how}: B was never yielded, so the DM cursor stays at d0`);
        // The client goes on: a later DM is handled by a listener and moves the cursor as usual.
        const later = server.sendDirectMessage(friend.id, me.id, 'later').id;
        await waitFor(() => store.entries()[dmKey] === later, `${how}: the DM cursor to move to a later message`);
      } finally {
        await scene.close();
      }
    }
  });

  it('stop() with an event still in the loop\'s buffer: a new client on the same FileCursorStore delivers it again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'groupme-push-iterator-'));
    const file = join(dir, 'cursors.json');
    const scene = await Scene.create({ cursorStore: new FileCursorStore(file) });
    let second: PushClient | undefined;
    try {
      const { client, server, group, friend, me } = scene;
      const iterator = client.events();
      await scene.start();
      // A DM the loop handles, so that the thread has a stored cursor to resume from.
      const d0 = server.sendDirectMessage(friend.id, me.id, 'd0').id;
      await pullUntil(iterator, (e) => e.type === 'direct_message.create' && e.message.id === d0, 'the iterator to yield d0');
      const a = server.post(group.id, friend.id, 'A').id;
      await pullUntil(iterator, (e) => e.type === 'line.create' && e.message.id === a, 'the iterator to yield A'); // d0 is handled
      // The loop holds A; B arrives in the DM thread and waits in the loop's buffer, unseen.
      const b = server.sendDirectMessage(friend.id, me.id, 'B').id;
      await scene.received([b], "B to reach the listeners (and the loop's buffer)");
      await settleWithin(client.stop(), 'stop()');

      // An events()-only consumer never saw B: a restart on the same file must deliver it.
      second = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, ...QUICK, cursorStore: new FileCursorStore(file) });
      const events = recordEvents(second);
      await settleWithin(second.start(), 'the second start()');
      const marker = server.sendDirectMessage(friend.id, me.id, 'marker').id;
      await waitFor(() => events.some((e) => e.type === 'direct_message.create' && e.message.id === marker), 'a live DM to the second client');
      const dms = events.flatMap((e) => (e.type === 'direct_message.create' ? [e.message.id] : []));
      assert.deepEqual(dms, [b, marker], 'B, buffered but never yielded when the first client stopped, is delivered again (and d0, handled, is not)');
      // A was in the consumer's hands (not moved past) when stop() came: in flight, so it comes again too.
      await waitFor(() => events.some((e) => e.type === 'line.create' && e.message.id === a), 'A, in flight at stop(), to be delivered again');
    } finally {
      await second?.stop();
      await scene.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('overflow: a consumer that stops pulling while 500 messages arrive gets all 500, once each, in order', async () => {
    // Liveness is slow: the look-alike pushing 500 messages in this same process blocks the
    // event loop for a moment, which FAST's 300 ms liveness would take for a suspended process.
    const scene = await Scene.create({ maxQueuedPerConversation: 100, liveness: { quietMs: 10_000, probeTimeoutMs: 5_000 } });
    try {
      const { client, server, group, friend, me } = scene;
      const iterator = client.events();
      await scene.start();
      const first = server.post(group.id, friend.id, 'first').id;
      await pullUntil(iterator, (e) => e.type === 'line.create' && e.message.id === first, 'the iterator to yield the first message');

      // The consumer stops pulling. 500 messages in one group, then a DM as a marker: once a
      // listener has it, the client has received all 500 on the same connection.
      const dms: string[] = [];
      client.on('direct_message.create', (e) => void dms.push(e.message.id));
      const requestsBefore = server.requestLog.length;
      const published: string[] = [];
      for (let i = 0; i < 500; i++) published.push(server.post(group.id, friend.id, `burst ${i}`).id);
      const marker = server.sendDirectMessage(friend.id, me.id, 'marker').id;
      await waitFor(() => dms.includes(marker), 'the marker DM to reach a listener');

      // The consumer resumes, until a message published after everything else arrives.
      const end = server.post(group.id, friend.id, 'end').id;
      const pulled = await pullUntil(iterator, (e) => e.type === 'line.create' && e.message.id === end, 'the iterator to yield the 500 and the end message');
      const groupIds = pulled.flatMap((e) => (e.type === 'line.create' ? [e.message.id] : []));
      const counts = new Map<string, number>();
      for (const id of groupIds) counts.set(id, (counts.get(id) ?? 0) + 1);
      const missing = published.filter((id) => !counts.has(id));
      const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      assert.deepEqual({ missing: missing.length, duplicated: duplicated.length }, { missing: 0, duplicated: 0 });
      assert.deepEqual(groupIds, [...published, end], 'every message once, in id order');
      assert.ok(ascending(groupIds));
      // What did not fit in memory was fetched again over REST.
      const historyReads = server.requestLog.slice(requestsBefore).filter((r) => r.path === `/v3/groups/${group.id}/messages`);
      assert.ok(historyReads.length > 0, 'the client fetched over REST the messages it dropped from its queue');
    } finally {
      await scene.close();
    }
  });
});
