import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ClientStateError, ClientStoppedError, PushClient } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a script in a fresh Node and reports how it ended; it must end by itself. */
function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // A generous backstop so a regression fails the test instead of hanging the suite.
    const backstop = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(backstop);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('lifecycle', { timeout: 40_000 }, () => {
  it('stop() leaves nothing running: the process exits on its own', async () => {
    const result = await runScript(`
      import { PushClient } from './src/index.ts';
      import { createGroupMeServer } from './src/testing/index.ts';
      const server = await createGroupMeServer({ pingIntervalMs: 0 });
      const me = server.addUser({ name: 'Me' });
      const other = server.addUser({ name: 'Other' });
      const group = server.addGroup({ name: 'G', members: [me.id, other.id] });
      const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, subscribeAll: true });
      await client.start();
      const got = new Promise((resolve) => client.on('line.create', resolve));
      server.post(group.id, other.id, 'hi');
      await got;
      await client.stop();
      await server.close();
      console.log('done');
    `);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), 'done');
  });

  it('stop() while the push server is unreachable still lets the process exit', async () => {
    const result = await runScript(`
      import { PushClient } from './src/index.ts';
      import { createGroupMeServer } from './src/testing/index.ts';
      import net from 'node:net';
      const server = await createGroupMeServer({ pingIntervalMs: 0 });
      const me = server.addUser({ name: 'Me' });
      // A port with nothing behind it: faye keeps retrying the handshake until stopped.
      const probe = net.createServer(); await new Promise((r) => probe.listen(0, '127.0.0.1', r));
      const port = probe.address().port; await new Promise((r) => probe.close(r));
      const client = new PushClient({ token: me.token, pushUrl: 'http://127.0.0.1:' + port + '/faye', apiUrl: server.apiUrl });
      const starting = client.start().catch((e) => e.name);
      await new Promise((r) => setTimeout(r, 300));
      await client.stop();
      console.log(await starting);
      await server.close();
    `);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'ClientStoppedError');
  });

  it('rejects pending work with ClientStoppedError and emits state changes in order', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    const me = server.addUser({ name: 'Me' });
    const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl });
    const states: string[] = [];
    client.on('state', (s) => states.push(`${s.previous}>${s.current}`));
    try {
      await assert.rejects(client.subscribeGroup('1'), ClientStateError);
      const starting = client.start();
      const stopping = client.stop();
      await assert.rejects(starting, ClientStoppedError);
      await stopping;
      assert.equal(client.state, 'stopped');
      await client.start();
      assert.equal(client.state, 'connected');
      await client.stop();
      assert.deepEqual(states, ['idle>connecting', 'connecting>stopped', 'stopped>connecting', 'connecting>connected', 'connected>stopped']);
    } finally {
      await client.stop();
      await server.close();
    }
  });

  it('validates options with clear TypeErrors', () => {
    assert.throws(() => new PushClient({ token: '' }), /non-empty GroupMe access token/);
    assert.throws(() => new PushClient({ token: 't', pushUrl: 'push.groupme.com/faye' }), /absolute/);
    assert.throws(() => new PushClient({ token: 't', subscribeTimeoutMs: -1 }), /positive/);
  });
});
