import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGroupMeServer, type GroupMeServer, type SimUser } from '../../src/testing/index.js';
import { tearDownFayeClient } from '../../src/transport/teardown.js';
import { closeClients, rawClient, subscribe, until } from '../testing/helpers.js';

describe('tearDownFayeClient', { timeout: 30_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;

  before(async () => {
    server = await createGroupMeServer();
    me = server.addUser({ name: 'Me' });
  });
  afterEach(closeClients);
  after(() => server.close());

  // The server forgets the session at once, instead of keeping it (and, for a page, a
  // held connect that nothing else can end) until its timeout.
  for (const transport of ['websocket', 'long-polling'] as const) {
    it(`tells the server, over ${transport}`, async () => {
      const raw = rawClient(server, me.token);
      if (transport === 'long-polling') raw.client.disable('websocket');
      assert.equal(await subscribe(raw, `/user/${me.id}`), 'ok');
      const clientId = server.subscribeLog.at(-1)!.clientId;
      await until(() => server.metaLog.some((entry) => entry.clientId === clientId && entry.channel === '/meta/connect' && entry.connectionType === transport) || server.connectedClients() === 1);
      tearDownFayeClient(raw.client);
      await until(() => server.metaLog.some((entry) => entry.clientId === clientId && entry.channel === '/meta/disconnect' && entry.ok), 'the disconnect');
      await until(() => server.connectedClients() === 0, 'no connection left');
    });
  }
});
