import { AuthenticationError } from '../errors/authentication-error.js';
import { GroupMeApi } from '../rest/groupme-api.js';
import { CliError, EXIT } from './cli-error.js';
import { toCliError } from './connection.js';
import type { RelayToken } from './relay-tokens.js';
import { shardOf, type Shard } from './relay-shard.js';

/** A token whose account this relay holds. */
export interface RelayAccount extends RelayToken {
  readonly userId: string;
}

/** How many `/users/me` lookups (and client starts) run at once: enough to start thousands quickly, few enough to spare GroupMe. */
export const START_CONCURRENCY = 16;

/**
 * Asks GroupMe whose each token is, and keeps the accounts of this shard. Every token is
 * checked, whichever shard it falls in, so a refused token fails every replica the same
 * way: exit 2, naming where the token came from, never the token.
 */
export async function accountsOfShard(tokens: readonly RelayToken[], shard: Shard, apiUrl: string | undefined): Promise<RelayAccount[]> {
  const accounts: (RelayAccount | undefined)[] = new Array(tokens.length);
  await forEachLimit(tokens, START_CONCURRENCY, async (entry, index) => {
    const api = new GroupMeApi({ token: entry.token, ...(apiUrl ? { apiUrl } : {}) });
    try {
      const me = await api.me();
      if (shardOf(me.id, shard.count) === shard.index) accounts[index] = { ...entry, userId: me.id };
    } catch (error) {
      if (error instanceof AuthenticationError) throw new CliError(`GroupMe refused the token on ${entry.from}: check that it is current and copied whole.`, EXIT.usage);
      throw toCliError(error);
    }
  });
  // One account per user: two tokens of the same user would relay everything twice.
  const byUser = new Map<string, RelayAccount>();
  for (const account of accounts) if (account && !byUser.has(account.userId)) byUser.set(account.userId, account);
  return [...byUser.values()];
}

/** Runs `task` over `items`, at most `limit` at a time; the first failure rejects (the rest finish quietly). */
export async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
