import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';

/** `--shard i/n`: this relay takes shard `index` of `count` (0-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Every account: the default. */
export const ALL_SHARDS: Shard = { index: 0, count: 1 };

/** Reads `i/n` with 0 <= i < n; throws commander's InvalidArgumentError (a usage error) otherwise. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) throw new InvalidArgumentError('expected i/n with 0 <= i < n, such as 0/4.');
  return { index, count };
}

/**
 * The shard of a user id: the first 4 bytes of the SHA-1 of its decimal string, read as a
 * big-endian unsigned integer, modulo n. Spelled out so that any other program can place
 * an account the same way; a uniform hash spreads accounts evenly whatever their ids.
 */
export function shardOf(userId: string, count: number): number {
  return createHash('sha1').update(userId).digest().readUInt32BE(0) % count;
}
