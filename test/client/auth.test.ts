import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { AuthenticationError, PushClient, type StateChange } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { nextEvent } from '../support/wait.js';

describe('authentication', { timeout: 20_000 }, () => {
  it('rejects start() with AuthenticationError for a bad token, once, without leaking it', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    const token = 'not-a-real-token-0123456789abcdef';
    const client = new PushClient({ token, pushUrl: server.pushUrl, apiUrl: server.apiUrl });
    const states: StateChange[] = [];
    client.on('state', (s) => states.push(s));
    try {
      const error = await client.start().then(
        () => assert.fail('start() should reject'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AuthenticationError);
      assert.equal(client.state, 'failed');
      assert.deepEqual(states.map((s) => s.current), ['connecting', 'failed']);
      // Final: one attempt, no retry loop.
      assert.equal(server.requestLog.filter((row) => row.path === '/v3/users/me').length, 1);
      // Whatever a logger might print: message, stack, every own field (JSON.stringify alone
      // skips `message` and `stack`, which are not enumerable) and the inspected whole.
      const printed = [error.message, String(error.stack), JSON.stringify(error, Object.getOwnPropertyNames(error)), inspect(error, { depth: 10 })];
      for (const text of printed) assert.ok(!text.includes(token), text);
      assert.ok(server.requestLog.every((row) => !row.tokenInUrl));
    } finally {
      await client.stop();
      await server.close();
    }
  });

  it('fails for good when the token is revoked and the server makes the client re-subscribe', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    const me = server.addUser({ name: 'Me' });
    const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl });
    try {
      await client.start();
      const failed = nextEvent(client, 'state', (s) => s.current === 'failed');
      const error = nextEvent(client, 'error');
      server.revokeToken(me.token);
      await server.restart();
      const change = await failed;
      assert.ok(change.error instanceof AuthenticationError);
      assert.ok((await error) instanceof AuthenticationError);
      assert.ok(!inspect(change, { depth: 10 }).includes(me.token));
    } finally {
      await client.stop();
      await server.close();
    }
  });
});
