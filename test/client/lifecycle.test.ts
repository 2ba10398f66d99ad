import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ClientStateError, ClientStoppedError, GroupMeApi, PushClient } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs a script in a fresh Node and reports how it ended; it must end by itself. `onLine`
 * sees each line of its stdout as it comes.
 */
function runScript(
  source: string,
  env: NodeJS.ProcessEnv = {},
  onLine: (line: string) => void = () => undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const done = stdout.split('\n').length - 1;
      stdout += d;
      for (const line of stdout.split('\n').slice(done, -1)) onLine(line);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // A generous backstop so a regression fails the test instead of hanging the suite.
    const backstop = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(backstop);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The end of a child script: prints the handles still keeping it alive (none is the goal).
 * A destroyed socket closes on a later turn of the event loop, and only then lets go of its
 * own timers; a handful of turns is plenty, however slow the machine.
 */
const PRINT_HELD = `
  const held = () => process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
  for (let turn = 0; turn < 100 && held().length > 0; turn++) await new Promise((r) => setImmediate(r));
  console.log(JSON.stringify(held()));`;

describe('lifecycle', { timeout: 40_000 }, () => {
  it('stop() leaves no timer and no socket: nothing keeps the process alive', async () => {
    // The server runs here, so that what the client's process holds is the client's alone.
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    try {
      const me = server.addUser({ name: 'Me' });
      const other = server.addUser({ name: 'Other' });
      const group = server.addGroup({ name: 'G', members: [me.id, other.id] });
      const result = await runScript(
        `
        import { PushClient } from './src/index.ts';
        const { TOKEN: token, PUSH_URL: pushUrl, API_URL: apiUrl } = process.env;
        const client = new PushClient({ token, pushUrl, apiUrl, subscribeAll: true });
        const got = new Promise((resolve) => client.on('line.create', resolve));
        const caughtUp = new Promise((resolve) => client.on('catch-up', resolve));
        await client.start();
        await caughtUp;
        console.log('started');
        await got;
        await client.stop();
        ${PRINT_HELD}
        `,
        { TOKEN: me.token, PUSH_URL: server.pushUrl, API_URL: server.apiUrl },
        (line) => {
          if (line === 'started') server.post(group.id, other.id, 'hi');
        },
      );
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.deepEqual(result.stdout.trim().split('\n'), ['started', '[]'], 'no Timeout, socket or other handle after stop()');
    } finally {
      await server.close();
    }
  });

  it('failed frees what stop() frees: with no stop() call, nothing keeps the process alive', async () => {
    const server = await createGroupMeServer({ pingIntervalMs: 0 });
    try {
      const me = server.addUser({ name: 'Me' });
      const other = server.addUser({ name: 'Other' });
      server.addGroup({ name: 'G', members: [me.id, other.id] });
      server.addChat(me.id, other.id);
      const result = await runScript(
        `
        import { mkdtempSync } from 'node:fs';
        import { tmpdir } from 'node:os';
        import { join } from 'node:path';
        import { FileCursorStore, PushClient } from './src/index.ts';
        const { TOKEN: token, PUSH_URL: pushUrl, API_URL: apiUrl } = process.env;
        const cursorStore = new FileCursorStore(join(mkdtempSync(join(tmpdir(), 'groupme-push-failed-')), 'cursors.json'));
        const client = new PushClient({ token, pushUrl, apiUrl, subscribeAll: true, cursorStore, reconnect: { baseDelayMs: 50, maxDelayMs: 200 } });
        const caughtUp = new Promise((resolve) => client.on('catch-up', resolve));
        const failed = new Promise((resolve) => client.on('state', (s) => s.current === 'failed' && resolve(s.error?.name)));
        client.on('error', () => {});
        const loop = (async () => { for await (const _ of client.events()) {} })().then(() => 'ended', (e) => e.name);
        await client.start();
        await caughtUp;
        console.log('started');
        console.log(await failed);
        console.log(await loop);
        ${PRINT_HELD}
        `,
        { TOKEN: me.token, PUSH_URL: server.pushUrl, API_URL: server.apiUrl },
        (line) => {
          if (line !== 'started') return;
          server.revokeToken(me.token);
          server.dropConnections();
        },
      );
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0, `the process ended by itself; it printed ${JSON.stringify(result.stdout)}`);
      assert.deepEqual(
        result.stdout.trim().split('\n'),
        ['started', 'AuthenticationError', 'AuthenticationError', '[]'],
        'failed with the token refused, the loop threw it, and no Timeout, socket or other handle is left',
      );
    } finally {
      await server.close();
    }
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
    assert.throws(() => new PushClient({ token: '' }), /needs a GroupMe access token in options.token, and this one is empty/);
    assert.throws(() => new PushClient({ token: 't', pushUrl: 'push.groupme.com/faye' }), /absolute/);
    assert.throws(() => new PushClient({ token: 't', subscribeTimeoutMs: -1 }), /positive/);
    // The same checks as the command line's: a token a header cannot carry, an API URL axios cannot use.
    assert.throws(() => new PushClient({ token: 'abc\ndef' }), /this one holds a space, a line break/);
    assert.throws(() => new PushClient({ token: 't', apiUrl: 'ftp://example.com' }), /options.apiUrl must be an http\(s\) URL; got "ftp:\/\/example.com"/);
    assert.throws(() => new GroupMeApi({ token: ' ' }), /GroupMeApi needs a GroupMe access token in options.token, and this one is empty/);
    assert.throws(() => new GroupMeApi({ token: 't', apiUrl: 'api.groupme.com/v3' }), /options.apiUrl must be an absolute URL/);
  });
});
