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
 * A key with a `}` but no hash tag (`x}y`, `a{}b{c}`) cannot be a tag, so no claim can
 * share its slot: {@link clusterStreamKeyProblem} says so before such a key is used.
 */
export function claimKey(streamKey: string, claim: Claim): string {
  const tagged = hashTag(streamKey) === undefined ? `{${streamKey}}` : streamKey;
  return `${tagged}:claim:${claim.id}`;
}

/** Why a stream key cannot be used in a Redis Cluster, as a sentence, or undefined when it can. */
export function clusterStreamKeyProblem(streamKey: string): string | undefined {
  if (hashTag(streamKey) !== undefined || (streamKey !== '' && !streamKey.includes('}'))) return undefined;
  return `The stream key ${JSON.stringify(streamKey)} has no hash tag and cannot be one, so in a Redis Cluster no claim key can share its slot: give it a tag, as in "groupme:{events}", or leave out the "}".`;
}

/**
 * The part of a key Redis Cluster hashes, when it is not the whole key: what lies between
 * the first `{` and the first `}` after it, if that is not empty (Redis's own rule; a later
 * `{...}` does not count).
 */
function hashTag(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}
