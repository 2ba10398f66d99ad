import { createHash } from 'node:crypto';
import type { PushEvent } from '../events/types.js';

/**
 * Whose duplicates a claim refuses. `'account'`: one entry per account and message, so
 * every account's view is complete (a group message two of your accounts see lands twice,
 * once for each). `'message'`: one entry per message whoever saw it, for archivers.
 */
export type DedupeScope = 'account' | 'message';

/** What an event is claimed by: a key suffix and how long the claim lives, or null for no claim. */
export interface Claim {
  readonly id: string;
  readonly ttlSeconds: number;
}

export interface ClaimTtls {
  /** New messages (`line.create`, `direct_message.create`). */
  readonly messageSeconds: number;
  /** Every other event but pings. */
  readonly eventSeconds: number;
}

/**
 * New messages are claimed by their GroupMe message id (unique per message). Other events
 * carry no id of their own; two replicas receive byte-identical payloads for one push, so
 * they are claimed by a digest of type, channel and payload. Pings carry nothing to tell
 * one from the next and are never claimed.
 */
export function claimOf(account: string, event: PushEvent, scope: DedupeScope, ttls: ClaimTtls): Claim | null {
  if (event.type === 'ping') return null;
  const owner = scope === 'account' ? `a:${account}:` : '';
  if (event.type === 'line.create' || event.type === 'direct_message.create') {
    return { id: `${owner}m:${event.message.id}`, ttlSeconds: ttls.messageSeconds };
  }
  const digest = createHash('sha1').update(`${event.type}\n${event.channel.path}\n${JSON.stringify(event.raw ?? null)}`).digest('base64url');
  return { id: `${owner}e:${digest}`, ttlSeconds: ttls.eventSeconds };
}

/**
 * The key of a claim. It must live in the stream's Redis Cluster slot, as one script
 * touches both: a stream key with a hash tag (`app:{events}`) lends it its tag, and any
 * other is used whole as the tag (`{groupme:events}:claim:...` hashes as `groupme:events`).
 */
export function claimKey(streamKey: string, claim: Claim): string {
  const tagged = /\{[^}]+\}/.test(streamKey) ? streamKey : `{${streamKey}}`;
  return `${tagged}:claim:${claim.id}`;
}
