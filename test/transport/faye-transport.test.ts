import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BayeuxMessage, ExtensionCallback, NodeAdapter } from 'faye';
import { groupChannel, type PushChannel } from '../../src/events/channel.js';
import { FayeTransport } from '../../src/transport/faye-transport.js';
import { tearDownFayeClient } from '../../src/transport/teardown.js';
import { bareFayeServer, type BareFayeServer } from '../support/bare-faye-server.js';
import { until } from '../support/wait.js';

// The transport takes data messages in its faye extension, before faye routes them. These
// tests bend what a real faye server sends (an outgoing extension rewrites a delivered
// message as its data asks) to check that nothing is lost, doubled, misrouted or thrown.

interface Received {
  readonly channel: string;
  readonly n: number;
}

type Bend = 'elsewhere' | 'advice' | 'handshake-advice' | 'bad-name' | 'number-channel';

let server: BareFayeServer;
let url = '';
let adapter: NodeAdapter;

/** Bends a delivered message as its data asks. A copy: the server hands one object to every subscriber. */
function bend(message: BayeuxMessage, callback: ExtensionCallback): void {
  const data = message.data as { bend?: Bend } | undefined;
  const bent: BayeuxMessage = { ...message };
  switch (data?.bend) {
    case 'elsewhere':
      bent.channel = '/group/999';
      break;
    case 'advice':
      bent.advice = { reconnect: 'retry', interval: 0, timeout: 10_000 };
      break;
    case 'handshake-advice':
      bent.advice = { reconnect: 'handshake', interval: 0 };
      break;
    case 'bad-name':
      bent.channel = 'not a channel';
      bent.advice = { reconnect: 'retry', interval: 0, timeout: 10_000 };
      break;
    case 'number-channel':
      (bent as { channel: unknown }).channel = 42;
      bent.advice = { reconnect: 'retry', interval: 0, timeout: 10_000 };
      break;
    default:
      break;
  }
  callback(bent);
}

before(async () => {
  server = await bareFayeServer({ outgoing: bend });
  url = server.url;
  adapter = server.adapter;
  // faye reorders what a client sends before its handshake completes: the server's own
  // publishing client gets its handshake over with first.
  await new Promise<void>((resolve, reject) => adapter.getClient().publish('/warm-up', {}).then(resolve, reject));
});

after(async () => {
  // The in-process publishing client would otherwise keep Node alive.
  tearDownFayeClient(adapter.getClient());
  await server.close();
});


async function connected(): Promise<{ transport: FayeTransport; received: Received[]; sessionLost: string[] }> {
  const received: Received[] = [];
  const sessionLost: string[] = [];
  const transport = new FayeTransport(
    { url, token: 'token', subscribeTimeoutMs: 5_000, retrySeconds: 1 },
    {
      receive(channel: PushChannel, data: unknown) {
        received.push({ channel: channel.path, n: (data as { n: number }).n });
      },
    },
    {
      down: () => undefined,
      sessionLost: (error) => sessionLost.push(error.message),
      channelLost: () => undefined,
      handshakeRefused: () => undefined,
    },
  );
  await transport.subscribe(groupChannel('1'));
  return { transport, received, sessionLost };
}

function publish(n: number, bend?: Bend): void {
  adapter.getClient().publish('/group/1', { n, ...(bend ? { bend } : {}) });
}

test('every data message on a held channel reaches the sink once, in order', async () => {
  const { transport, received } = await connected();
  try {
    for (let n = 1; n <= 50; n++) publish(n);
    await until(() => received.length >= 50);
    publish(51);
    await until(() => received.length >= 51);
    assert.deepEqual(
      received.map((r) => r.n),
      Array.from({ length: 51 }, (_, i) => i + 1),
    );
    assert.ok(received.every((r) => r.channel === '/group/1'));
  } finally {
    transport.destroy();
  }
});

test('a data message on a channel the transport does not hold is not handed on', async () => {
  const { transport, received } = await connected();
  try {
    publish(1, 'elsewhere');
    publish(2);
    await until(() => received.length >= 1);
    assert.deepEqual(received, [{ channel: '/group/1', n: 2 }]);
  } finally {
    transport.destroy();
  }
});

test('a data message that carries advice is delivered once, and faye still applies the advice', async () => {
  const { transport, received, sessionLost } = await connected();
  try {
    publish(1, 'advice');
    publish(2);
    await until(() => received.length >= 2);
    assert.deepEqual(
      received.map((r) => r.n),
      [1, 2],
    );
    assert.deepEqual(sessionLost, []);

    // Advice to handshake again, on a data message, still reaches the session watch.
    publish(3, 'handshake-advice');
    await until(() => sessionLost.length > 0);
    assert.deepEqual(
      received.map((r) => r.n),
      [1, 2, 3],
    );
  } finally {
    transport.destroy();
  }
});

test('a data message on a channel name faye cannot parse neither throws nor stops the messages after it', async () => {
  const { transport, received } = await connected();
  try {
    publish(1, 'bad-name');
    publish(2, 'number-channel');
    publish(3);
    await until(() => received.length >= 1);
    assert.deepEqual(received, [{ channel: '/group/1', n: 3 }]);
  } finally {
    transport.destroy();
  }
});
