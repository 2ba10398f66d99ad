import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';

/**
 * GroupMe authenticates each `/meta/subscribe` (and each client publish, such as typing)
 * by `ext.access_token`; `ext.timestamp` is Unix seconds. Other meta messages go bare so
 * the token travels no further than it must.
 */
export function createAuthExtension(token: string, now: () => number = Date.now): Extension {
  return {
    outgoing(message: BayeuxMessage, callback: ExtensionCallback): void {
      const channel = message.channel;
      if (channel === '/meta/subscribe' || !channel.startsWith('/meta/')) {
        message.ext = { ...message.ext, access_token: token, timestamp: Math.floor(now() / 1000) };
      }
      callback(message);
    },
  };
}
