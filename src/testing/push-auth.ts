import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';
import { dmChannelId, dmThreadId } from './id-order.js';
import type { UserRecord, World } from './state.js';

/** One `/meta/subscribe` attempt, one row per channel, with the reply the server gave. */
export interface SubscribeLogEntry {
  readonly clientId: string | null;
  readonly channel: string;
  /** The `ext` the client sent, token included, so tests can assert what clients send. */
  readonly ext: Readonly<Record<string, unknown>> | null;
  readonly ok: boolean;
  /** The Bayeux error of a refusal, e.g. `401::Access token authentication failed`. */
  readonly error: string | null;
}

/**
 * GroupMe's refusal of a subscribe or publish, for a bad token and for a channel that is
 * not yours alike (as observed): a client cannot tell the two apart from the reply.
 */
export const AUTH_FAILED = '401::Access token authentication failed';

/** The `ext` key marking the server's own publishes; its value is a per-server secret. */
export const INTERNAL_KEY = 'groupme_push_sim_internal';

/**
 * GroupMe's push rules as a faye server extension. A subscribe needs the `ext.access_token`
 * of a known, non-revoked user and a channel that is theirs; so does a publish (GroupMe
 * lets clients publish typing and pings). Either refusal is the same 401, as observed.
 * Setting `message.error` makes faye refuse the message with that error. `ext.timestamp`
 * is not checked: neither is it by GroupMe.
 *
 * The server's own publishes come through faye's in-process client and so through this
 * extension too: they carry the secret, which is stripped here; anything else that claims
 * the marker is judged like any client.
 */
export function createPushAuth(world: World, secret: string, log: SubscribeLogEntry[]): Extension {
  // A subscribe's outcome is known only in its reply (faye may still refuse an unknown
  // client), so the row is written by `outgoing` with what `incoming` saw.
  const pending = new Map<string, { ext: Record<string, unknown> | null; channels: string[] }>();

  return {
    incoming(message: BayeuxMessage, callback: ExtensionCallback): void {
      const ext = message.ext;
      const internal = ext !== undefined && ext[INTERNAL_KEY] === secret;
      if (ext && INTERNAL_KEY in ext) delete ext[INTERNAL_KEY];
      if (message.channel === '/meta/subscribe') {
        const channels = ([] as unknown[]).concat(message.subscription ?? []).map(String);
        pending.set(replyKey(message), { ext: ext ? { ...ext } : null, channels });
        if (!internal) refuse(message, judge(world, ext, channels));
      } else if (!message.channel.startsWith('/meta/')) {
        if (!internal) refuse(message, judge(world, ext, [message.channel]));
        // faye would deliver `ext` to every subscriber: a publisher's token must not leak.
        delete message.ext;
      }
      callback(message);
    },

    outgoing(message: BayeuxMessage, callback: ExtensionCallback): void {
      if (message.channel === '/meta/subscribe') {
        const key = replyKey(message);
        const attempt = pending.get(key);
        pending.delete(key);
        for (const channel of attempt?.channels ?? []) {
          log.push({
            clientId: message.clientId ?? null,
            channel,
            ext: attempt?.ext ?? null,
            ok: message.successful === true,
            error: typeof message.error === 'string' ? message.error : null,
          });
        }
      }
      callback(message);
    },
  };
}

function refuse(message: BayeuxMessage, error: string | undefined): void {
  if (error !== undefined && message.error === undefined) message.error = error;
}

function replyKey(message: BayeuxMessage): string {
  return `${message.clientId ?? ''} ${message.id ?? ''}`;
}

/** The error for this token on these channels, or undefined when all are allowed. */
function judge(world: World, ext: Record<string, unknown> | undefined, channels: readonly string[]): string | undefined {
  const user = world.userByToken(ext?.access_token);
  if (!user) return AUTH_FAILED;
  if (channels.length === 0) return undefined; // faye itself refuses a subscribe without one
  return channels.every((channel) => mayUse(world, user, channel)) ? undefined : AUTH_FAILED;
}

/**
 * `/user/<own id>`, `/group/<id>` with an ACTIVE membership, `/direct_message/<lo>_<hi>`
 * naming the user and another known user. Only the `lo_hi` spelling (ids compared as
 * numbers) is accepted: it is the only one anything is ever published on, so a client
 * subscribing to `hi_lo` is told at once instead of waiting for messages that never come.
 */
export function mayUse(world: World, user: UserRecord, channel: string): boolean {
  const [, kind, id, ...rest] = channel.split('/');
  if (rest.length > 0 || !id) return false;
  switch (kind) {
    case 'user':
      return id === user.id;
    case 'group': {
      const group = world.findGroup(id);
      return group !== undefined && world.isActiveMember(group, user.id);
    }
    case 'direct_message': {
      const [a, b, ...more] = id.split('_');
      if (!a || !b || more.length > 0 || a === b || (a !== user.id && b !== user.id)) return false;
      return world.hasUser(a) && world.hasUser(b) && dmChannelId(dmThreadId(a, b)) === id;
    }
    default:
      return false;
  }
}
