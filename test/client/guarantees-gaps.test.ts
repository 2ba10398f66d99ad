// Delivery guarantees, point 7 of the specification: new conversations during a gap.
// While the client is cut off, (a) a new user starts a DM thread with me and sends 3
// messages, (b) I am added to a new group where 3 messages are posted, (c) a group that had
// no messages when the client started gets 3 messages. Once reconnected, all 9 are
// delivered exactly once, in order per conversation, with origin 'catch-up'; with
// subscribeAll the client then also holds the new group's and the new DM thread's channels.
// The same across a restart: a DM thread started while a FileCursorStore client was down is
// delivered by the next client on the same file, while on the very first start (an empty
// store) history from before is not delivered.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileCursorStore, PushClient, type PushEvent } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { QUICK, Scene, conversationIds, recordEvents, settleWithin, threadId, waitFor, within } from '../support/guarantees.js';
import { nextEvent } from '../support/wait.js';

function originsOf(events: readonly PushEvent[], ids: readonly string[]): string[] {
  return ids.map((id) => {
    const found = events.filter((e) => (e.type === 'line.create' || e.type === 'direct_message.create') && e.message.id === id);
    return found.map((e) => e.origin).join('+') || 'missing';
  });
}

async function newConversationsDuringAGap(subscribeAll: boolean): Promise<void> {
  const scene = await Scene.create({ subscribeAll });
  const { client, server, group, friend, me } = scene;
  // (c) exists when the client starts, with no message in it.
  const quiet = server.addGroup({ name: 'Quiet', members: [friend.id, me.id] });
  try {
    await scene.start();
    const before = server.post(group.id, friend.id, 'before').id;
    await scene.received([before], 'a message before the gap');

    const from = scene.states.length;
    server.blackhole(true);
    await waitFor(() => client.state === 'reconnecting', 'the client to notice the silence');
    // (a) a new user starts a DM thread with me.
    const newcomer = server.addUser({ name: 'Newcomer' });
    const dm = [1, 2, 3].map((i) => server.sendDirectMessage(newcomer.id, me.id, `dm ${i}`).id);
    // (b) I am in a new group (created with me as a member), where 3 messages are posted.
    const fresh = server.addGroup({ name: 'Fresh', members: [friend.id, me.id] });
    const inFresh = [1, 2, 3].map((i) => server.post(fresh.id, friend.id, `fresh ${i}`).id);
    // (c) the group that was empty at start.
    const inQuiet = [1, 2, 3].map((i) => server.post(quiet.id, friend.id, `quiet ${i}`).id);
    server.blackhole(false);
    await waitFor(() => scene.states.slice(from).some((s) => s.current === 'connected'), 'connected again');

    // A live message in each conversation: each conversation is delivered in order, so once
    // these three are in, whatever the catch-up had for them came before.
    const liveDm = server.sendDirectMessage(newcomer.id, me.id, 'dm live').id;
    const liveFresh = server.post(fresh.id, friend.id, 'fresh live').id;
    const liveQuiet = server.post(quiet.id, friend.id, 'quiet live').id;
    await scene.received([liveDm, liveFresh, liveQuiet], 'a live message in each of the three conversations');

    const chat = threadId(newcomer.id, me.id);
    const expected: Array<[string, string, string[]]> = [
      ['the new DM thread', `dm:${chat}`, [...dm, liveDm]],
      ['the new group', `group:${fresh.id}`, [...inFresh, liveFresh]],
      ['the group empty at start', `group:${quiet.id}`, [...inQuiet, liveQuiet]],
    ];
    assert.deepEqual(
      Object.fromEntries(expected.map(([name, key]) => [name, scene.conversation(key)])),
      Object.fromEntries(expected.map(([name, , ids]) => [name, ids])),
      'each new conversation: every message once, in order',
    );
    const gap = [...dm, ...inFresh, ...inQuiet];
    assert.deepEqual(originsOf(scene.events, gap), gap.map(() => 'catch-up'), 'what was published during the gap came from the catch-up');

    if (subscribeAll) {
      const wanted = [`/group/${fresh.id}`, `/direct_message/${chat.replace('+', '_')}`, `/group/${quiet.id}`];
      const held = (): boolean => wanted.every((path) => client.channels.some((c) => c.path === path));
      assert.ok(await within(held, 5_000), `the client holds ${wanted.join(', ')}; it holds ${client.channels.map((c) => c.path).join(', ')}`);
    }
  } finally {
    await scene.close();
  }
}

describe('guarantees: new conversations during a gap (point 7)', { timeout: 30_000 }, () => {
  it('subscribeAll off: a new DM thread, a new group and a group empty at start are caught up', async () => {
    await newConversationsDuringAGap(false);
  });

  it('subscribeAll on: the same, and the client then holds the new channels', async () => {
    await newConversationsDuringAGap(true);
  });

  it('across a restart on a FileCursorStore: a DM thread started while down is delivered; the first start replays nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'groupme-push-guarantees-'));
    const file = join(dir, 'cursors.json');
    // The client paces REST as QUICK does (500/s); GroupMe's limiter would measure itself.
    const server = await createGroupMeServer({ rateLimitPerSecond: 0 });
    const me = server.addUser({ name: 'Me' });
    const friend = server.addUser({ name: 'Friend' });
    const group = server.addGroup({ name: 'G', members: [me.id, friend.id] });
    const old = [server.post(group.id, friend.id, 'old 1').id, server.post(group.id, friend.id, 'old 2').id, server.sendDirectMessage(friend.id, me.id, 'old dm').id];
    const options = { token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, ...QUICK };
    const first = new PushClient({ ...options, cursorStore: new FileCursorStore(file) });
    const second = new PushClient({ ...options, cursorStore: new FileCursorStore(file) });
    try {
      // The very first start, on an empty store: only what happens from now on.
      const firstEvents = recordEvents(first);
      const baseline = nextEvent(first, 'catch-up');
      await settleWithin(first.start(), 'the first start()');
      await settleWithin(baseline, 'the first catch-up report');
      const live = server.post(group.id, friend.id, 'live while up').id;
      await waitFor(() => conversationIds(firstEvents, `group:${group.id}`).includes(live), 'a live message to the first client');
      assert.deepEqual(conversationIds(firstEvents, `group:${group.id}`), [live], 'the first start does not replay history');
      assert.deepEqual(conversationIds(firstEvents, `dm:${threadId(friend.id, me.id)}`), []);
      await first.stop();

      // While no client runs: a new DM thread, and a message in the known group.
      const newcomer = server.addUser({ name: 'Newcomer' });
      const whileDown = [server.sendDirectMessage(newcomer.id, me.id, 'hello 1').id, server.sendDirectMessage(newcomer.id, me.id, 'hello 2').id];
      const groupWhileDown = server.post(group.id, friend.id, 'group while down').id;

      const secondEvents = recordEvents(second);
      await settleWithin(second.start(), 'the second start()');
      const liveDm = server.sendDirectMessage(newcomer.id, me.id, 'hello live').id;
      const liveGroup = server.post(group.id, friend.id, 'group live').id;
      await waitFor(
        () => [liveDm, liveGroup].every((id) => secondEvents.some((e) => 'message' in e && e.message.id === id)),
        'a live message in each conversation to the second client',
      );
      // What exists today first (a known conversation resumes from the file), then the new thread.
      assert.deepEqual(conversationIds(secondEvents, `group:${group.id}`), [groupWhileDown, liveGroup], 'the known group resumes from its stored cursor');
      const everything = [...firstEvents, ...secondEvents];
      assert.deepEqual(originsOf(everything, old), ['missing', 'missing', 'missing'], 'history from before the first start is never delivered');
      const chat = threadId(newcomer.id, me.id);
      assert.deepEqual(conversationIds(secondEvents, `dm:${chat}`), [...whileDown, liveDm], 'the DM thread started while down: every message once, in order');
      assert.deepEqual(originsOf(secondEvents, whileDown), ['catch-up', 'catch-up']);
    } finally {
      await first.stop();
      await second.stop();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
