import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PushClient } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { nextEvent } from '../support/wait.js';

describe('subscribeAll', { timeout: 30_000 }, () => {
  it('reads every page of each list once, skips memberships that are not active, and maps a+b to a_b', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    try {
      const me = server.addUser({ name: 'Me' });
      const friend = server.addUser({ name: 'Friend' });
      const active: string[] = [];
      // More than one page of each (the client asks for 100 a page).
      for (let i = 0; i < 130; i++) active.push(server.addGroup({ name: `g${i}`, members: [me.id, friend.id] }).id);
      const skipped: string[] = [];
      for (const state of ['exited', 'removed', 'pending']) {
        const g = server.addGroup({ name: state, members: [me.id, friend.id] });
        server.setMembershipState(g.id, me.id, state);
        skipped.push(g.id);
      }
      const dmChannels: string[] = [];
      for (let i = 0; i < 110; i++) {
        const other = server.addUser({ name: `dm${i}` });
        server.addChat(me.id, other.id);
        const [lo, hi] = BigInt(me.id) < BigInt(other.id) ? [me.id, other.id] : [other.id, me.id];
        dmChannels.push(`/direct_message/${lo}_${hi}`);
      }

      const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, subscribeAll: true });
      const caughtUp = nextEvent(client, 'catch-up');
      await client.start();
      try {
        const held = new Set(client.channels.map((c) => c.path));
        const expected = new Set([`/user/${me.id}`, ...active.map((id) => `/group/${id}`), ...dmChannels]);
        assert.deepEqual(held, expected);
        for (const id of skipped) assert.ok(!held.has(`/group/${id}`));

        const acknowledged = new Set(server.subscribeLog.filter((row) => row.ok).map((row) => row.channel));
        for (const path of expected) assert.ok(acknowledged.has(path), `${path} acknowledged by the server`);

        // The groups GroupMe says you left are never even asked for: their state rows sit on
        // the last page of /memberships/states, so this holds only if every page was read.
        for (const id of skipped) assert.ok(!server.subscribeLog.some((row) => row.channel === `/group/${id}`), `/group/${id} not tried`);

        // Each list is read once, every page of it, by discovery and catch-up together.
        await caughtUp;
        const pages = (path: string): number[] =>
          server.requestLog.filter((row) => row.path === path).map((row) => Number(row.query.page));
        const statePages = pages('/v3/memberships/states');
        assert.ok(statePages.length > 2, `states read in ${statePages.length} pages`);
        assert.deepEqual(statePages, statePages.map((_, i) => i + 1));
        assert.deepEqual(pages('/v3/groups'), [1, 2, 3]);
        assert.deepEqual(pages('/v3/chats'), [1, 2, 3]);
      } finally {
        await client.stop();
      }
    } finally {
      await server.close();
    }
  });

  it('falls back to every page of /groups when /memberships/states is missing', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    try {
      const me = server.addUser({ name: 'Me' });
      const groups = Array.from({ length: 3 }, (_, i) => server.addGroup({ name: `g${i}`, members: [me.id] }).id);
      server.failNextRest({ status: 404, times: 1, pathPrefix: '/memberships/states' });
      const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, subscribeAll: true, catchUp: false });
      await client.start();
      try {
        assert.deepEqual(new Set(client.channels.map((c) => c.path)), new Set([`/user/${me.id}`, ...groups.map((id) => `/group/${id}`)]));
      } finally {
        await client.stop();
      }
    } finally {
      await server.close();
    }
  });
});
