import type { Cluster, Redis } from 'ioredis';
import type { CursorStore } from '../recovery/cursor-store.js';

/** The hash of an account's cursors unless `key` says otherwise. */
export function defaultCursorKey(account: string): string {
  return `groupme:cursors:${account}`;
}

/** How to build a {@link RedisCursorStore}. */
export interface RedisCursorStoreOptions {
  /** An ioredis client (or Cluster). The store never closes it. */
  readonly redis: Redis | Cluster;
  /** The user id of the account whose cursors these are. */
  readonly account: string;
  /** The Redis hash holding them. Default `groupme:cursors:<account>`. */
  readonly key?: string;
}

/**
 * Moves a cursor only forward, in one atomic step, so replicas sharing it can write in
 * any order: the newest id wins. Ids compare as GroupMe's do: as decimal numbers when both
 * are digits, else as strings.
 */
const ADVANCE_SCRIPT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local id = ARGV[2]
if current then
  local numeric = string.match(current, '^%d+$') and string.match(id, '^%d+$')
  if numeric and #current ~= #id then
    if #id < #current then return 0 end
  elseif id <= current then
    return 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], id)
return 1
`;

/**
 * Cursors in a Redis hash, one per account, shared by every replica holding that account:
 * a process that restarts, or a replica taking over, catches up from where the newest
 * writer left off. A cursor only ever moves forward, whatever order replicas write in.
 *
 * Writes go straight to Redis (nothing to flush). A write that fails while Redis is away
 * rejects (the client reports it as an `error` event) and is made good by the
 * conversation's next one; meanwhile the stored cursor is behind, which only means a
 * restarted process fetches a few messages again, and the stream refuses them as duplicates.
 *
 * @example
 * const client = new PushClient({ token, cursorStore: new RedisCursorStore({ redis, account: me.id }) });
 */
export class RedisCursorStore implements CursorStore {
  readonly #redis: Redis | Cluster;
  readonly #key: string;

  constructor(options: RedisCursorStoreOptions) {
    if (!options?.redis) throw new TypeError('RedisCursorStore needs an ioredis client (options.redis).');
    if (typeof options.account !== 'string' || options.account === '') throw new TypeError('RedisCursorStore needs the account\'s user id (options.account).');
    this.#redis = options.redis;
    this.#key = options.key ?? defaultCursorKey(options.account);
  }

  /** The hash this store reads and writes. */
  get key(): string {
    return this.#key;
  }

  /** The stored cursor of a conversation (`group:<id>`, `dm:<a+b>`), if any. */
  async get(key: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#key, key)) ?? undefined;
  }

  /** Moves the cursor of a conversation to `messageId`, unless it already stands at or past it. */
  async set(key: string, messageId: string): Promise<void> {
    await this.#redis.eval(ADVANCE_SCRIPT, 1, this.#key, key, messageId);
  }

  /** Every cursor of the account, for inspection. */
  async entries(): Promise<Record<string, string>> {
    return this.#redis.hgetall(this.#key);
  }
}
