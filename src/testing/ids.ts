import { createHash } from 'node:crypto';

/**
 * Every id the simulated world hands out. All are counters, so two runs of the same test
 * see the same ids; none is random, because a failing test must be replayable.
 *
 * - Message ids are 18-digit decimal strings (beyond 2^53, like GroupMe's), strictly
 *   increasing, so "newer" is "greater" and history can be paged by id.
 * - User ids alternate between 8 and 9 digits. A DM thread is named `lo+hi` with the ids
 *   compared as numbers: with mixed lengths, a client that compares them as strings gets
 *   the wrong name at once instead of in production.
 */
export class IdSource {
  #message = 175_000_000_000_000_000n;
  #user = 0;
  #group = 0;
  #membership = 0;
  #guid = 0;

  message(): string {
    this.#message += 1n;
    return this.#message.toString();
  }

  user(): string {
    const n = ++this.#user;
    return String(n % 2 === 1 ? 93_645_900 + n : 131_245_900 + n);
  }

  group(): string {
    return String(108_466_400 + ++this.#group);
  }

  membership(): string {
    return String(700_000_000 + ++this.#membership);
  }

  /** A 32-hex-digit `source_guid`, the form GroupMe's web client sends. */
  guid(): string {
    return digest('md5', `guid:${++this.#guid}`);
  }

  /** A 40-hex-digit access token, GroupMe's length, derived from the user id. */
  token(userId: string): string {
    return digest('sha1', `token:${userId}`);
  }

  /** The random part of a group's share URL. */
  shareToken(groupId: string): string {
    return digest('md5', `share:${groupId}`).slice(0, 8);
  }
}

function digest(algorithm: 'md5' | 'sha1', input: string): string {
  return createHash(algorithm).update(input).digest('hex');
}
