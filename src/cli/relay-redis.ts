import type { Redis } from 'ioredis';
import { CliError, EXIT } from './cli-error.js';
import { sentence } from './output.js';

/** The URL as it may be shown: no user name or password. */
export function displayRedisUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** Reads `--redis` / `GROUPME_REDIS_URL`: a `redis://` or `rediss://` URL, else a usage error. */
export function parseRedisUrl(flag: string | undefined, env: NodeJS.ProcessEnv): URL {
  const value = flag ?? (env.GROUPME_REDIS_URL || undefined);
  if (value === undefined) throw new CliError('No Redis: pass --redis URL or set GROUPME_REDIS_URL, such as redis://127.0.0.1:6379.', EXIT.usage);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value may hold a password: it is not repeated.
    throw new CliError('--redis must be a URL such as redis://127.0.0.1:6379 (or rediss:// for TLS).', EXIT.usage);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new CliError(`--redis must be a redis:// or rediss:// URL; got one starting with ${url.protocol}//.`, EXIT.usage);
  }
  return url;
}

/**
 * Connects to Redis and checks it answers, failing fast (exit 3) on a refused password or
 * nobody listening: at start that is a mistake to fix, not an outage to wait out. Once
 * connected, the connection reconnects by itself and a command waits briefly before failing,
 * so the sink's own retries take over during an outage.
 */
export async function connectRedis(url: URL): Promise<Redis> {
  let Client: typeof import('ioredis').Redis;
  try {
    ({ Redis: Client } = await import('ioredis'));
  } catch {
    throw new CliError('The relay needs the ioredis package: npm install ioredis.', EXIT.failure);
  }
  const shown = displayRedisUrl(url);
  let started = false;
  const redis = new Client(url.href, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    // Before the first connection, give up at once; after it, keep reconnecting, at most 2 s apart.
    retryStrategy: (times) => (started ? Math.min(times * 100, 2_000) : null),
  });
  let lastError: unknown;
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
    started = true;
    return redis;
  } catch (error) {
    redis.disconnect();
    // ioredis rejects with "Connection is closed."; the 'error' event said why.
    throw redisStartError(lastError ?? error, shown);
  }
}

function redisStartError(error: unknown, shown: string): CliError {
  const message = error instanceof Error ? error.message : String(error);
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return new CliError(`Redis at ${shown} refused the credentials: check the user name and password in --redis.`, EXIT.redis);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new CliError(`Cannot reach Redis at ${shown}${code ? ` (${code})` : ''}: ${sentence(error)}`, EXIT.redis);
}
