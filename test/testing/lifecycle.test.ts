import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createGroupMeServer, type GroupMeServer } from '../../src/testing/index.js';
import { api, responseOf } from './helpers.js';

type Row = Record<string, unknown>;
const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = new URL('../../src/testing/index.ts', import.meta.url).href;

/**
 * A child process uses a server the hard way (pings on, a REST call, long-poll
 * `/meta/connect`s held open for the default 600 s across a restart, a reap and close, a
 * raw WebSocket) and closes it. If anything of the server survived `close()`, the child
 * would not exit by itself.
 */
const childScript = `
  import { request } from 'node:http';
  import { createGroupMeServer } from ${JSON.stringify(entry)};

  const server = await createGroupMeServer({ pingIntervalMs: 20, seed: 'demo' });
  const me = server.demo.me;
  const rest = await fetch(server.apiUrl + '/users/me', { headers: { 'X-Access-Token': me.token } });
  if (rest.status !== 200) throw new Error('REST ' + rest.status);

  const post = (messages) => fetch(server.pushUrl, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messages),
  });
  // After a restart fetch's pool may hold a socket the server closed: retried once.
  const bayeux = (messages) => post(messages).catch(() => post(messages)).then((r) => r.json());
  const hold = async () => {
    const [hello] = await bayeux([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
    const clientId = hello.clientId;
    const [sub] = await bayeux([{ channel: '/meta/subscribe', clientId, subscription: '/user/' + me.id, ext: { access_token: me.token } }]);
    if (!sub.successful) throw new Error('subscribe ' + sub.error);
    // Held by the server for 600 s: on once the server counts the connection as open.
    bayeux([{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }]).catch(() => undefined);
    while (server.connectedClients() < 1) await new Promise((resolve) => setImmediate(resolve));
  };
  await hold();
  await server.restart(); // must end that one
  await hold();
  if (server.reapSessions() !== 1) throw new Error('reap');
  await hold(); // close() must end this one

  await new Promise((resolve) => {
    const req = request(server.pushUrl, { headers: {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    } });
    req.on('upgrade', (_res, socket) => { socket.on('error', () => undefined); resolve(); });
    req.on('error', () => undefined);
    req.end();
  });
  server.post(server.demo.groups[0].id, server.demo.others[0].id, 'one more');
  await new Promise((resolve) => setTimeout(resolve, 60)); // a few pings
  await server.close();
  console.log('closed');
`;

describe('lifecycle', { timeout: 60_000 }, () => {
  it('after close() nothing of the server keeps the process alive', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childScript], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Generous: this only turns a child that never exits into a failure instead of a hang.
    const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(guard);
    assert.equal(signal, null, `the child did not exit by itself\n${stdout}${stderr}`);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), 'closed');
  });

  it('advises a /meta/connect timeout of 600 s by default, as GroupMe does; fayeTimeoutSeconds changes it', async () => {
    for (const [options, timeout] of [[{}, 600_000], [{ fayeTimeoutSeconds: 45 }, 45_000]] as const) {
      const server = await createGroupMeServer(options);
      try {
        const res = await fetch(server.pushUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling', 'websocket'] }]),
        });
        const [hello] = (await res.json()) as Array<{ successful: boolean; advice: { reconnect: string; timeout: number } }>;
        assert.equal(hello!.successful, true);
        assert.equal(hello!.advice.reconnect, 'retry');
        assert.equal(hello!.advice.timeout, timeout);
      } finally {
        await server.close();
      }
    }
  });

  it('close() is idempotent; restart() after it fails; driver methods still update the world', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    const me = server.addUser({ name: 'Me' });
    const group = server.addGroup({ name: 'G', members: [me.id] });
    await Promise.all([server.close(), server.close()]);
    await server.close();
    await assert.rejects(server.restart(), /closed/);
    const message = server.post(group.id, me.id, 'into the void');
    assert.equal(server.message(message.id).text, 'into the void');
    assert.equal(server.connectedClients(), 0);
    assert.deepEqual(server.ping(), []);
    await server.flush();
  });

  it('listens on options.port, and keeps it across restarts', async () => {
    const port = await freePort();
    const server = await createGroupMeServer({ port, pingIntervalMs: 0 });
    try {
      assert.equal(server.port, port);
      assert.equal(server.pushUrl, `http://127.0.0.1:${port}/faye`);
      assert.equal(server.apiUrl, `http://127.0.0.1:${port}/v3`);
      const me = server.addUser({ name: 'Me' });
      await server.restart();
      await server.restart();
      assert.equal(server.port, port);
      assert.equal((await api(server, '/users/me', { token: me.token })).status, 200);
    } finally {
      await server.close();
    }
  });

  it('seed: "demo" comes with a small named world, ready for REST and push', async () => {
    const server = await createGroupMeServer({ seed: 'demo', pingIntervalMs: 0 });
    try {
      const demo = server.demo!;
      assert.equal(demo.me.name, 'You');
      assert.equal(demo.me.token, 'demo-token');
      assert.deepEqual(demo.others.map((u) => u.name), ['Ada', 'Grace', 'Lin']);
      assert.deepEqual(demo.groups.map((g) => g.name), ['Climbing crew', 'Book club']);
      assert.deepEqual([...demo.chat.userIds].sort(), [demo.me.id, demo.others[0]!.id].sort());
      const groups = responseOf<Row[]>(await api(server, '/groups', { token: 'demo-token' }));
      assert.deepEqual(groups.map((g) => g.name).sort(), ['Book club', 'Climbing crew']);
      const chats = responseOf<Row[]>(await api(server, '/chats', { token: 'demo-token' }));
      assert.equal(chats.length, 1);
      assert.equal((chats[0]!.last_message as Row).text, 'Bring the spare chalk bag?');
      const history = responseOf<{ messages: Row[] }>(await api(server, `/groups/${demo.groups[0]!.id}/messages`, { token: 'demo-token' }));
      assert.deepEqual(history.messages.map((m) => m.text), ['In!', 'Bouldering on Saturday?']);
      assert.equal(createGroupMeServer.length, 0);
    } finally {
      await server.close();
    }
    const empty = await createGroupMeServer({ pingIntervalMs: 0 });
    assert.equal(empty.demo, undefined);
    await empty.close();
  });

  it('is deterministic: the same script gives the same ids, tokens and GUIDs', async () => {
    const script = async (server: GroupMeServer): Promise<unknown[]> => {
      const a = server.addUser({ name: 'A' });
      const b = server.addUser({ name: 'B' });
      const g = server.addGroup({ name: 'G', members: [a.id, b.id] });
      const m = server.post(g.id, a.id, 'x');
      const d = server.sendDirectMessage(a.id, b.id, 'y');
      return [a, b, g, m.id, m.source_guid, d.id, d.conversation_id];
    };
    const [one, two] = await Promise.all([createGroupMeServer({ pingIntervalMs: 0 }), createGroupMeServer({ pingIntervalMs: 0 })]);
    try {
      assert.deepEqual(await script(one), await script(two));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('ids look like GroupMe\'s: 18-digit increasing message ids, mixed-length user ids, 40-hex tokens', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    try {
      const users = Array.from({ length: 4 }, (_, i) => server.addUser({ name: `u${i}` }));
      assert.deepEqual(users.map((u) => u.id.length), [8, 9, 8, 9]);
      assert.ok(users.every((u) => /^[0-9a-f]{40}$/.test(u.token)));
      const g = server.addGroup({ name: 'G', members: users.map((u) => u.id) });
      const messageIds = users.map((u) => server.post(g.id, u.id, 'hi').id);
      assert.ok(messageIds.every((id) => /^\d{18}$/.test(id)));
      assert.ok(messageIds.every((id, i) => i === 0 || BigInt(id) > BigInt(messageIds[i - 1]!)));
      assert.ok(BigInt(messageIds[0]!) > BigInt(Number.MAX_SAFE_INTEGER), 'beyond 2^53: ids must stay strings');
      assert.throws(() => server.addUser({ id: users[0]!.id, name: 'dup' }), /already exists/);
      assert.equal(server.addUser({ id: '42', name: 'Custom', token: 'custom-token' }).token, 'custom-token');
    } finally {
      await server.close();
    }
  });

  it('seeds 500 groups and 500 DM threads, and serves them', async () => {
    // Over 50 pages read back to back with one token: the limiter is off here.
    const server = await createGroupMeServer({ pingIntervalMs: 0, rateLimitPerSecond: 0 });
    try {
      const me = server.addUser({ name: 'Me' });
      const other = server.addUser({ name: 'Other' });
      for (let i = 0; i < 500; i++) {
        const g = server.addGroup({ name: `g${i}`, members: [me.id, other.id] });
        if (i % 10 === 0) server.setMembershipState(g.id, me.id, 'exited');
      }
      for (let i = 0; i < 500; i++) server.addChat(me.id, server.addUser({ name: `dm${i}` }).id);
      assert.equal(responseOf<Row[]>(await api(server, '/groups?per_page=500&omit=memberships', { token: me.token })).length, 500);
      const states: Row[] = [];
      for (let page = 1; ; page++) {
        const rows = responseOf<Row[]>(await api(server, `/memberships/states?page=${page}`, { token: me.token }));
        if (rows.length === 0) break;
        states.push(...rows);
      }
      assert.equal(states.length, 500);
      assert.equal(states.filter((s) => s.state === 'active').length, 450);
      let chats = 0;
      for (let page = 1; ; page++) {
        const rows = responseOf<Row[]>(await api(server, `/chats?page=${page}&per_page=100`, { token: me.token }));
        chats += rows.length;
        if (rows.length < 100) break;
      }
      assert.equal(chats, 500);
    } finally {
      await server.close();
    }
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
