/**
 * Reads the relay's stream with a consumer group: run as many of these as you like, each
 * entry goes to one of them, and an entry is acknowledged only after `handle` resolved, so
 * a consumer that dies leaves its entries pending for another to claim.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 CONSUMER=worker-1 npx tsx examples/stream-consumer.ts
 */
import { Redis } from 'ioredis';
import { decodeStreamEntry, type StreamEntry } from 'groupme-push/redis';

export interface ConsumerOptions {
  readonly redis: Redis;
  /** Default `groupme:events`, the relay's default. */
  readonly stream?: string;
  /** The consumer group; created at the stream's start if missing. */
  readonly group: string;
  /** This consumer's name, unique in the group and stable across restarts. */
  readonly consumer: string;
  /** Takes over entries another consumer left unacknowledged this long. Default 30 s. */
  readonly claimIdleMs?: number;
  readonly signal?: AbortSignal;
  /** Your work; throw to leave the entry pending (it is retried after `claimIdleMs`). */
  readonly handle: (entry: StreamEntry) => Promise<void> | void;
}

type Entries = [id: string, fields: string[]][];

export async function consumeStream(options: ConsumerOptions): Promise<void> {
  const { redis, group, consumer, handle, signal } = options;
  const stream = options.stream ?? 'groupme:events';
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (error) {
    if (!String(error).includes('BUSYGROUP')) throw error;
  }

  const work = async (entries: Entries): Promise<void> => {
    for (const [id, fields] of entries) {
      try {
        await handle(decodeStreamEntry(fields, id));
        await redis.xack(stream, group, id);
      } catch (error) {
        console.error(`entry ${id} left pending: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  // After a restart, what this consumer read but never acknowledged comes first.
  const [[, own] = ['', [] as Entries]] = ((await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 1000, 'STREAMS', stream, '0')) ?? []) as [string, Entries][];
  await work(own);

  while (!signal?.aborted) {
    // Entries a dead consumer left behind.
    const [, claimed] = (await redis.xautoclaim(stream, group, consumer, claimIdleMs, '0', 'COUNT', 100)) as [string, Entries];
    await work(claimed.filter(([, fields]) => fields !== null));
    const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'BLOCK', 1_000, 'STREAMS', stream, '>')) as [string, Entries][] | null;
    if (reply) await work(reply[0]![1]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  await consumeStream({
    redis,
    group: process.env.GROUP ?? 'example',
    consumer: process.env.CONSUMER ?? 'worker-1',
    signal: stop.signal,
    handle: ({ account, event }) => {
      if (event.type === 'line.create') console.log(`[${account}] ${event.message.name}: ${event.message.text ?? ''}`);
      else console.log(`[${account}] ${event.type}`);
    },
  });
  redis.disconnect();
}
