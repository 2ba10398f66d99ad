import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PushClient, TimeoutError } from '../../src/index.js';
import { createGroupMeServer } from '../../src/testing/index.js';
import { FAST } from '../support/fault-world.js';
import { refusingPushServer } from '../support/refusing-push-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

// In its own process: a faye client the client failed to tear down would retry for ever
// once the servers are gone, and what the process still holds at the end shows it.
const connectedScenario = `
  import { HandshakeError, PushClient } from './src/index.ts';
  import { createGroupMeServer } from './src/testing/index.ts';
  import { FAST } from './test/support/fault-world.ts';
  import { refusingPushServer } from './test/support/refusing-push-server.ts';

  const rest = await createGroupMeServer();
  const push = await refusingPushServer();
  const me = rest.addUser({ name: 'Me' });
  const client = new PushClient({ token: me.token, pushUrl: push.url, apiUrl: rest.apiUrl, ...FAST, catchUp: false, fayeRetrySeconds: 0.05 });
  const next = (match) => new Promise((resolve) => client.on('state', (s) => match(s) && resolve(s)));
  push.refusing.on = false;
  await client.start();
  push.refusing.on = true;
  const refused = next((s) => s.error instanceof HandshakeError);
  push.drop();
  const change = await refused;
  console.log(change.current, typeof change.retryInMs);
  const back = next((s) => s.current === 'connected');
  push.refusing.on = false;
  await back;
  console.log('connected again');
  await client.stop();
  await push.close();
  await rest.close();
  const held = () => process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
  for (let turn = 0; turn < 100 && held().length > 0; turn++) await new Promise((r) => setImmediate(r));
  console.log(JSON.stringify(held()));
`;

describe('a refused handshake (README, Errors: HandshakeError)', { timeout: 30_000 }, () => {
  it('during start(): faye keeps retrying, and start() rejects with a TimeoutError', async () => {
    const rest = await createGroupMeServer();
    const push = await refusingPushServer();
    const me = rest.addUser({ name: 'Me' });
    const client = new PushClient({ token: me.token, pushUrl: push.url, apiUrl: rest.apiUrl, ...FAST, subscribeTimeoutMs: 500, fayeRetrySeconds: 0.05 });
    try {
      await assert.rejects(client.start(), TimeoutError);
      assert.equal(client.state, 'failed');
    } finally {
      await client.stop();
      await push.close();
      await rest.close();
    }
  });

  it('once connected: reported as a HandshakeError, the client reconnects with backoff, and the refused connection is gone for good', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', connectedScenario], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // Only turns a process that never ends into a failure instead of a hang.
    const backstop = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(backstop);
    assert.equal(stderr, '');
    assert.deepEqual(stdout.trim().split('\n'), ['reconnecting number', 'connected again', '[]'], 'nothing left running after stop()');
    assert.equal(code, 0);
  });
});
