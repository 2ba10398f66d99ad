// Delivery guarantees, points 1 and 2 of the specification:
//  1. Async listeners: a listener whose promise rejects is reported as an `error` event (a
//     ListenerError naming the event, the thrown error as `cause`), never as an unhandled
//     rejection, and every other listener and every later event is still delivered.
//  2. Listeners are awaited, in order per conversation: a conversation's next event (message
//     events, and the other events of that conversation) waits until every listener (type and
//     `event` listeners) of the previous one settled; different conversations go on
//     concurrently; a conversation's cursor moves to a message only once all its listeners
//     settled, and also when one rejected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListenerError, MemoryCursorStore, type PushEvent } from '../../src/index.js';
import { Scene, captureUnhandled, deferred, turns, waitFor, within } from '../support/guarantees.js';
import { collect } from '../support/wait.js';

function describeEvent(e: PushEvent): string {
  if (e.type === 'line.create' || e.type === 'direct_message.create') return `${e.type}:${e.message.text}`;
  if (e.type === 'favorite' || e.type === 'message.update') return `${e.type}:${e.message.text ?? ''}`;
  return e.type;
}

describe('guarantees: async listeners (point 1)', { timeout: 30_000 }, () => {
  it('a rejected listener promise becomes a ListenerError; others and later events are still delivered', async () => {
    const unhandled = captureUnhandled();
    const scene = await Scene.create();
    try {
      const { client, server, group, friend, me } = scene;
      const errors = collect(client, 'error');
      const first: string[] = [];
      const last: string[] = [];
      const dms: string[] = [];
      client.on('line.create', (e) => void first.push(e.message.id));
      client.on('line.create', async () => {
        await Promise.resolve();
        throw new Error('async line.create listener bug (must surface as a ListenerError, never as an unhandled rejection)');
      });
      client.on('line.create', (e) => void last.push(e.message.id));
      client.on('event', async (e) => {
        if (e.type !== 'direct_message.create') return;
        throw new Error('async event listener bug (must surface as a ListenerError, never as an unhandled rejection)');
      });
      client.on('direct_message.create', (e) => void dms.push(e.message.id));
      await scene.start();

      const ids = [1, 2, 3].map((i) => server.post(group.id, friend.id, `m${i}`).id);
      const dm = server.sendDirectMessage(friend.id, me.id, 'dm').id;
      await waitFor(() => last.length === 3 && dms.length === 1, 'all four messages to reach the other listeners');
      // Four rejections happened; each is either reported or escaped. Wait until all four are
      // accounted for, then let the event loop turn so that any escape has been noticed.
      const listenerErrors = (): ListenerError[] => errors.filter((e): e is ListenerError => e instanceof ListenerError);
      await waitFor(() => listenerErrors().length + unhandled.reasons.length >= 4, 'each of the four rejections to be reported or to escape');
      await turns();

      assert.deepEqual(unhandled.reasons.map(String), [], 'no listener rejection may escape as an unhandled rejection');
      assert.deepEqual(first, ids);
      assert.deepEqual(last, ids, 'a listener registered after the failing one still got every event');
      assert.deepEqual(dms, [dm]);
      const reported = listenerErrors();
      assert.equal(reported.length, 4);
      assert.deepEqual(reported.map((e) => e.eventName).sort(), ['event', 'line.create', 'line.create', 'line.create']);
      for (const error of reported) {
        assert.ok(error.cause instanceof Error);
        assert.match(error.cause.message, /listener bug/);
      }

      // Later events still flow, to every listener.
      const later = server.post(group.id, friend.id, 'later').id;
      await waitFor(() => last.includes(later), 'a later message to be delivered');
      assert.deepEqual(first.at(-1), later);
      assert.equal(client.state, 'connected');
    } finally {
      unhandled.dispose();
      await scene.close();
    }
  });
});

describe('guarantees: listeners awaited in order per conversation (point 2)', { timeout: 30_000 }, () => {
  it("a group's next event waits for a pending line.create listener; another conversation does not", async () => {
    const scene = await Scene.create({ subscribeAll: true });
    const gate = deferred();
    try {
      const { client, server, group, friend, me } = scene;
      const calls: string[] = [];
      const dms: string[] = [];
      client.on('line.create', async (e) => {
        calls.push(`start ${e.message.text}`);
        if (e.message.text === 'm1') await gate.promise;
        calls.push(`end ${e.message.text}`);
      });
      client.on('direct_message.create', (e) => void dms.push(e.message.text ?? ''));
      await scene.start();

      const m1 = server.post(group.id, friend.id, 'm1').id;
      await waitFor(() => calls.includes('start m1'), 'the listener of m1 to start');
      server.post(group.id, friend.id, 'm2');
      server.react(me.id, m1, '👍'); // `favorite` on /group/:id: the same conversation
      server.sendDirectMessage(friend.id, me.id, 'marker');
      // The DM was published last on the same connection: once it is delivered, the client has
      // received m2 and the reaction. The DM's own conversation was not held up by the group's.
      await waitFor(() => dms.includes('marker'), 'the marker DM to reach a listener');
      await turns();
      const groupEvents = (): string[] =>
        scene.events.filter((e) => e.type === 'favorite' || (e.type === 'line.create' && e.message.groupId === group.id)).map(describeEvent);
      assert.deepEqual(calls, ['start m1'], 'no listener saw m2 while a listener of m1 was pending');
      // (Whether the `event` listeners of m1 itself have run yet is not specified: only m1 may be there.)
      assert.deepEqual(groupEvents().filter((e) => e !== 'line.create:m1'), [], 'no `event` listener saw the next group events while a listener of m1 was pending');

      gate.resolve();
      await waitFor(() => calls.includes('end m2') && groupEvents().length === 3, 'm2 and the reaction to be delivered once m1 settled');
      assert.deepEqual(calls, ['start m1', 'end m1', 'start m2', 'end m2']);
      // m2 and the reaction came on two channels (/user and /group): their relative order is the
      // server's, not the client's to guarantee; both come after m1.
      assert.equal(groupEvents()[0], 'line.create:m1');
      assert.deepEqual(groupEvents().slice(1).sort(), ['favorite:m1', 'line.create:m2']);
    } finally {
      gate.resolve(); // never leave a listener hanging
      await scene.close();
    }
  });

  it("a DM thread's next message waits for a pending `event` listener; a group does not", async () => {
    const scene = await Scene.create();
    const gate = deferred();
    try {
      const { client, server, group, friend, me } = scene;
      const typed: string[] = [];
      const groupTexts: string[] = [];
      client.on('event', async (e) => {
        if (e.type === 'direct_message.create' && e.message.text === 'd1') await gate.promise;
      });
      client.on('direct_message.create', (e) => void typed.push(e.message.text ?? ''));
      client.on('line.create', (e) => void groupTexts.push(e.message.text ?? ''));
      await scene.start();

      server.sendDirectMessage(friend.id, me.id, 'd1');
      await waitFor(() => scene.events.some((e) => e.type === 'direct_message.create' && e.message.text === 'd1'), 'd1 to be emitted');
      server.sendDirectMessage(me.id, friend.id, 'd2');
      server.post(group.id, friend.id, 'marker');
      await waitFor(() => groupTexts.includes('marker'), 'the marker group message to reach a listener');
      await turns();
      assert.ok(!typed.includes('d2'), 'the direct_message.create listeners of d2 wait for the pending `event` listener of d1');

      gate.resolve();
      await waitFor(() => typed.length === 2, 'd2 to be delivered once d1 settled');
      assert.deepEqual(typed, ['d1', 'd2']);
    } finally {
      gate.resolve(); // never leave a listener hanging
      await scene.close();
    }
  });

  it('different conversations are delivered concurrently (each handler waits until all three are in flight)', async () => {
    const scene = await Scene.create();
    const allInFlight = deferred();
    try {
      const { client, server, group, friend, me } = scene;
      const other = server.addGroup({ name: 'Other', members: [me.id, friend.id] });
      const inFlight = new Set<string>();
      const done = new Set<string>();
      const handler = async (conversation: string): Promise<void> => {
        inFlight.add(conversation);
        if (inFlight.size === 3) allInFlight.resolve();
        await allInFlight.promise;
        done.add(conversation);
      };
      client.on('line.create', (e) => handler(`group:${e.message.groupId}`));
      client.on('direct_message.create', (e) => handler(`dm:${e.message.chatId}`));
      await scene.start();

      server.post(group.id, friend.id, 'a');
      server.post(other.id, friend.id, 'b');
      server.sendDirectMessage(friend.id, me.id, 'c');
      const concurrent = await within(() => done.size === 3, 10_000);
      allInFlight.resolve(); // release whatever is stuck, so the client can stop
      assert.ok(concurrent, `the three conversations were not in flight together: only ${[...inFlight].join(', ')} started`);
    } finally {
      allInFlight.resolve(); // never leave a listener hanging
      await scene.close();
    }
  });

  it("the cursor moves to a message only after every listener of it settled (type and `event` listeners)", async () => {
    const store = new MemoryCursorStore();
    const scene = await Scene.create({ cursorStore: store });
    const typeGate = deferred();
    const eventGate = deferred();
    try {
      const { client, server, group, friend, me } = scene;
      const key = `group:${group.id}`;
      const dmKey = `dm:${scene.chatId}`;
      const started: string[] = [];
      const dms: string[] = [];
      client.on('line.create', async (e) => {
        started.push(e.message.text ?? '');
        if (e.message.text === 'held by a type listener') await typeGate.promise;
      });
      client.on('event', async (e) => {
        if (e.type !== 'line.create' || e.message.text !== 'held by an event listener') return;
        started.push('event listener: held by an event listener');
        await eventGate.promise;
      });
      client.on('direct_message.create', (e) => void dms.push(e.message.id));
      await scene.start();

      // Unblocked listeners: the cursor follows (keys group:<id> and dm:<lo+hi>).
      const warm = server.post(group.id, friend.id, 'warm').id;
      const dm0 = server.sendDirectMessage(friend.id, me.id, 'dm0').id;
      await waitFor(() => store.entries()[key] === warm && store.entries()[dmKey] === dm0, 'the cursors to follow unblocked messages');

      const held = server.post(group.id, friend.id, 'held by a type listener').id;
      await waitFor(() => started.includes('held by a type listener'), 'the held message to reach its listener');
      const marker = server.sendDirectMessage(friend.id, me.id, 'marker').id;
      await waitFor(() => dms.includes(marker) && store.entries()[dmKey] === marker, 'the marker DM to be delivered and its cursor to move');
      assert.equal(store.entries()[key], warm, 'the cursor did not move to a message whose line.create listener is pending');
      typeGate.resolve();
      await waitFor(() => store.entries()[key] === held, 'the cursor to move once the line.create listener settled');

      const held2 = server.post(group.id, friend.id, 'held by an event listener').id;
      await waitFor(() => started.includes('event listener: held by an event listener'), 'the second held message to reach its `event` listener');
      const marker2 = server.sendDirectMessage(friend.id, me.id, 'marker2').id;
      await waitFor(() => dms.includes(marker2) && store.entries()[dmKey] === marker2, 'the second marker DM to be delivered and its cursor to move');
      assert.equal(store.entries()[key], held, 'the cursor did not move to a message whose `event` listener is pending');
      eventGate.resolve();
      await waitFor(() => store.entries()[key] === held2, 'the cursor to move once the `event` listener settled');
    } finally {
      typeGate.resolve(); // never leave a listener hanging
      eventGate.resolve(); // never leave a listener hanging
      await scene.close();
    }
  });

  it('a listener that rejects does not hold the cursor back, and its message is not delivered again', async () => {
    const unhandled = captureUnhandled();
    const store = new MemoryCursorStore();
    const scene = await Scene.create({ cursorStore: store });
    try {
      const { client, server, group, friend } = scene;
      const key = `group:${group.id}`;
      const seen: string[] = [];
      client.on('line.create', async (e) => {
        seen.push(e.message.id);
        if (e.message.text === 'bad') throw new Error('a listener bug on one message (reported, never retried)');
      });
      await scene.start();
      const bad = server.post(group.id, friend.id, 'bad').id;
      await waitFor(() => store.entries()[key] === bad || unhandled.reasons.length > 0, 'the message whose listener rejects to be processed');
      await turns();
      assert.deepEqual(unhandled.reasons.map(String), []);
      assert.equal(store.entries()[key], bad);
      const next = server.post(group.id, friend.id, 'next').id;
      await waitFor(() => store.entries()[key] === next, 'the cursor to move to the next message');
      assert.deepEqual(seen, [bad, next]);
      assert.equal(scene.errors.filter((e) => e instanceof ListenerError).length, 1);
    } finally {
      unhandled.dispose();
      await scene.close();
    }
  });
});
