import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { consumeStream } from '../../examples/stream-consumer.js';
import { parsePushMessage } from '../../src/events/parse.js';
import { userChannel } from '../../src/events/channel.js';
import { RedisStreamSink, type StreamEntry } from '../../src/redis/index.js';
import { until } from '../support/wait.js';
import { redisForSuite } from './redis-server.js';

const post = (id: string): ReturnType<typeof parsePushMessage> =>
  parsePushMessage(userChannel('1'), {
    type: 'line.create',
    subject: { id, group_id: '9', user_id: '2', sender_id: '2', sender_type: 'user', name: 'Two', text: `text ${id}`, created_at: 1_700_000_000, attachments: [], system: false },
  });

describe('examples/stream-consumer.ts', { timeout: 30_000 }, () => {
  const suite = redisForSuite();

  it('two consumers of one group share the entries, each handled once, and a dead consumer\'s entries are claimed', async () => {
    const sink = new RedisStreamSink({ redis: suite.redis });
    await Promise.all(Array.from({ length: 50 }, (_, i) => sink.append('1', post(String(100 + i)))));

    // A consumer that reads ten entries and dies before acknowledging them.
    await suite.redis.xgroup('CREATE', 'groupme:events', 'archive', '0', 'MKSTREAM');
    await suite.redis.xreadgroup('GROUP', 'archive', 'dead', 'COUNT', 10, 'STREAMS', 'groupme:events', '>');

    const handled: { consumer: string; entry: StreamEntry }[] = [];
    const stop = new AbortController();
    const connections = [new Redis(suite.server.url), new Redis(suite.server.url)];
    const running = connections.map((connection, i) =>
      consumeStream({ redis: connection, group: 'archive', consumer: `worker-${i}`, claimIdleMs: 200, signal: stop.signal, handle: (entry) => void handled.push({ consumer: `worker-${i}`, entry }) }),
    );
    await until(() => handled.length >= 50);
    stop.abort();
    await Promise.all(running);
    for (const connection of connections) connection.disconnect();

    const ids = handled.map(({ entry }) => (entry.event.type === 'line.create' ? entry.event.message.id : ''));
    assert.deepEqual([...ids].sort(), Array.from({ length: 50 }, (_, i) => String(100 + i)));
    assert.equal(handled.length, 50, 'each entry handled once');
    const [pending] = (await suite.redis.xpending('groupme:events', 'archive')) as [number];
    assert.equal(pending, 0);
  });
});
