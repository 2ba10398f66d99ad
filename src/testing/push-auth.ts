import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';
import type { SimUser, World } from './world.js';

/** One `/meta/subscribe` as the server judged it. */
export interface SubscribeLogEntry {
  readonly clientId: string | null;
  readonly channel: string;
  /** The `ext` the client sent, token included: tests assert on it. */
  readonly ext: Readonly<Record<string, unknown>> | null;
  readonly ok: boolean;
  readonly error: string | null;
}

export const AUTH_FAILED = '401::Access token authentication failed';
export const FORBIDDEN = '403::Forbidden channel';

/** The `ext` key that marks the server's own publishes; its value is a per-server secret. */
export const INTERNAL_KEY = 'groupme_push_sim_internal';

/**
 * GroupMe's rules, as a faye server extension: a subscribe needs a valid
 * `ext.access_token` and a channel that is yours; so does a client publish. Setting
 * `message.error` makes faye refuse the message with that error.
 */
export function createPushAuth(world: World, secret: string, log: SubscribeLogEntry[]): Extension {
  return {
    incoming(message: BayeuxMessage, callback: ExtensionCallback): void {
      const ext = message.ext;
      if (ext && ext[INTERNAL_KEY] === secret) {
        delete ext[INTERNAL_KEY];
        callback(message);
        return;
      }
      if (ext && INTERNAL_KEY in ext) delete ext[INTERNAL_KEY];
      const isSubscribe = message.channel === '/meta/subscribe';
      if (isSubscribe || !message.channel.startsWith('/meta/')) {
        const user = world.userByToken(ext?.access_token);
        const target = isSubscribe ? String(message.subscription ?? '') : message.channel;
        if (!user) message.error = AUTH_FAILED;
        else if (!mayUse(world, user, target)) message.error = FORBIDDEN;
        if (isSubscribe) {
          log.push({
            clientId: message.clientId ?? null,
            channel: target,
            ext: ext ? { ...ext } : null,
            ok: message.error === undefined,
            error: message.error ?? null,
          });
        }
      }
      callback(message);
    },
  };
}

function mayUse(world: World, user: SimUser, channel: string): boolean {
  const [, kind, id, ...rest] = channel.split('/');
  if (rest.length > 0 || !id) return false;
  switch (kind) {
    case 'user':
      return id === user.id;
    case 'group':
      return world.isActiveMember(id, user.id);
    case 'direct_message': {
      const [a, b] = id.split('_');
      return (a === user.id || b === user.id) && a !== b && !!a && !!b;
    }
    default:
      return false;
  }
}
