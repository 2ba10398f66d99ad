import type { Redis } from 'ioredis';
import { PushClient } from '../client/push-client.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import type { PushEvent } from '../events/types.js';
import { Backoff } from '../recovery/backoff.js';
import { RedisCursorStore } from '../redis/redis-cursor-store.js';
import { DEFAULT_STREAM_KEY, RedisStreamSink } from '../redis/redis-stream-sink.js';
import { CliError, EXIT } from './cli-error.js';
import { endpoints, type ConnectionFlags } from './connection.js';
import { Diagnostics, sentence, type CliIo } from './output.js';
import { accountsOfShard, forEachLimit, START_CONCURRENCY, type RelayAccount } from './relay-accounts.js';
import { connectRedis, displayRedisUrl, parseRedisUrl } from './relay-redis.js';
import { ALL_SHARDS, type Shard } from './relay-shard.js';
import { readRelayTokens } from './relay-tokens.js';

export interface RelayFlags extends ConnectionFlags {
  /** `redis://[user:password@]host:port[/db]`; default `$GROUPME_REDIS_URL`. */
  readonly redis?: string;
  /** Only the accounts whose user id hashes to this shard. Default 0/1: all. */
  readonly shard?: Shard;
  /** Only these event types (default: all but `ping`). */
  readonly type?: readonly PushEvent['type'][];
  /** Also subscribe every group and DM thread of every account. */
  readonly all?: boolean;
  /** The stream key. Default `groupme:events`. */
  readonly stream?: string;
  /** Trim the stream to about this many entries. */
  readonly maxlen?: number;
  /** Seconds between status lines on stderr. Default 30. */
  readonly statusSeconds?: number;
}

/** How long a stopping relay waits for its buffer to reach Redis. */
const DRAIN_ON_STOP_MS = 10_000;

/**
 * `groupme-push relay`: holds one push connection per account of its shard and appends
 * every event to a Redis stream, each once, even with a replica holding the same accounts.
 * Status and counts go to stderr. Runs until `signal` aborts and resolves 0; throws a
 * CliError for a bad command line or refused token (exit 2) and for Redis refusing the
 * credentials or unreachable at start (exit 3).
 */
export async function relay(flags: RelayFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  const redisUrl = parseRedisUrl(flags.redis, io.env);
  const urls = endpoints(flags, io.env);
  const tokens = await readRelayTokens(flags.tokenFile, io.env);
  const diag = new Diagnostics(io.stderr);
  for (const { token } of tokens) diag.hide(token);
  if (redisUrl.password) diag.hide(decodeURIComponent(redisUrl.password));
  const shard = flags.shard ?? ALL_SHARDS;
  const stream = flags.stream ?? DEFAULT_STREAM_KEY;

  const redis = await connectRedis(redisUrl);
  const clients: PushClient[] = [];
  let sink: RedisStreamSink | undefined;
  let status: ReturnType<typeof setInterval> | undefined;
  try {
    const accounts = await accountsOfShard(tokens, shard, urls.apiUrl);
    if (signal.aborted) return EXIT.ok;
    sink = new RedisStreamSink({ redis, stream, ...(flags.maxlen ? { maxLen: flags.maxlen } : {}) });
    const counts = watchSink(sink, diag);

    for (const account of accounts) clients.push(clientFor(account, redis, sink, flags, urls, diag, counts));
    await forEachLimit(clients, START_CONCURRENCY, async (client, index) => {
      if (!signal.aborted) await startClient(client, accounts[index]!, signal, diag);
    });
    if (signal.aborted) return EXIT.ok;

    diag.line(`relaying ${accounts.length} account${accounts.length === 1 ? '' : 's'} (shard ${shard.index}/${shard.count} of ${tokens.length} token${tokens.length === 1 ? '' : 's'}) into ${stream} at ${displayRedisUrl(redisUrl)}; Ctrl-C to stop`);
    const report = (): void => diag.line(`status: ${statusLine(clients, sink!, counts)}`);
    status = setInterval(report, (flags.statusSeconds ?? 30) * 1000);
    status.unref();

    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return EXIT.ok;
  } finally {
    clearInterval(status);
    // Clients first: once stopped they move no cursor, so whatever the buffer still holds
    // after the drain is fetched again by whoever holds these accounts next.
    await Promise.allSettled(clients.map((client) => client.stop()));
    if (sink) {
      const drained = await Promise.race([sink.drained().then(() => true), delay(DRAIN_ON_STOP_MS).then(() => false)]);
      sink.close();
      diag.line(`stopped: ${sinkCounts(sink)}${drained ? '' : `; ${sink.stats.buffered} events were still buffered, to be caught up by the next relay`}`);
    }
    await redis.quit().catch(() => redis.disconnect());
  }
}

interface Counts {
  cursorFailures: number;
}

function clientFor(
  account: RelayAccount,
  redis: Redis,
  sink: RedisStreamSink,
  flags: RelayFlags,
  urls: { pushUrl?: string; apiUrl?: string },
  diag: Diagnostics,
  counts: Counts,
): PushClient {
  const client = new PushClient({
    token: account.token,
    ...urls,
    subscribeAll: flags.all === true,
    cursorStore: new RedisCursorStore({ redis, account: account.userId }),
  });
  sink.attach(client, { account: account.userId, ...(flags.type ? { types: flags.type } : {}) });
  client.on('error', (error) => {
    // While Redis is away every message would add one; the sink already says Redis is away.
    if (error.code === 'CURSOR_STORE') counts.cursorFailures++;
    else if (!(error instanceof AuthenticationError)) diag.line(`account ${account.userId}: ${sentence(error)}`);
  });
  client.on('state', (change) => {
    if (change.current !== 'failed' || !change.error) return;
    diag.line(`account ${account.userId} stopped for good: ${sentence(change.error)} The relay goes on with the others.`);
  });
  return client;
}

/**
 * Starts one client. A refused token ends the relay (exit 2): the token list is wrong. Any
 * other failure (GroupMe briefly unreachable) is retried with backoff in the background, so
 * one account cannot hold up the others.
 */
async function startClient(client: PushClient, account: RelayAccount, signal: AbortSignal, diag: Diagnostics): Promise<void> {
  try {
    await client.start();
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof AuthenticationError) throw new CliError(`GroupMe refused the token on ${account.from}: check that it is current and copied whole.`, EXIT.usage);
    diag.line(`account ${account.userId}: starting failed: ${sentence(error)} Retrying.`);
    void retryStart(client, account, signal, diag);
  }
}

async function retryStart(client: PushClient, account: RelayAccount, signal: AbortSignal, diag: Diagnostics): Promise<void> {
  const backoff = new Backoff(1_000, 60_000);
  while (!signal.aborted) {
    await delay(backoff.next());
    if (signal.aborted) return;
    try {
      await client.start();
      diag.line(`account ${account.userId}: connected`);
      return;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof AuthenticationError) {
        diag.line(`account ${account.userId}: GroupMe refused the token on ${account.from}; the relay goes on with the others.`);
        return;
      }
    }
  }
}

/** Reports Redis going away and coming back once each, not once per failed write. */
function watchSink(sink: RedisStreamSink, diag: Diagnostics): Counts {
  const counts: Counts = { cursorFailures: 0 };
  let lastFailure: GroupMePushError | undefined;
  let overflowReported = false;
  sink.on('error', (error) => {
    if (error.code === 'SINK_OVERFLOW') {
      if (!overflowReported) diag.line(`${sentence(error)} Further drops are counted in the status line.`);
      overflowReported = true;
    } else {
      lastFailure = error;
    }
  });
  sink.on('availability', ({ available, buffered }) => {
    if (available) {
      overflowReported = false;
      diag.line(`redis is back; writing the ${buffered} buffered event${buffered === 1 ? '' : 's'}`);
    } else {
      const cause = lastFailure?.cause;
      diag.line(`redis is unavailable${cause ? ` (${sentence(cause)})` : ''}; events wait in the buffer and are retried`);
    }
  });
  return counts;
}

function statusLine(clients: readonly PushClient[], sink: RedisStreamSink, counts: Counts): string {
  const connected = clients.filter((client) => client.state === 'connected').length;
  const failures = counts.cursorFailures > 0 ? `, ${counts.cursorFailures} cursor writes failed` : '';
  return `${connected}/${clients.length} accounts connected; ${sinkCounts(sink)}${failures}`;
}

function sinkCounts(sink: RedisStreamSink): string {
  const { written, duplicates, dropped, buffered } = sink.stats;
  return `${written} written, ${duplicates} duplicates refused, ${dropped} dropped, ${buffered} buffered`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
