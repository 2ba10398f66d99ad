import type { BayeuxMessage, ExtensionCallback } from 'faye';
import { bareFayeServer } from './bare-faye-server.js';

/** A bare faye server that refuses every handshake while `refusing.on` is set. */
export async function refusingPushServer(): Promise<{ url: string; refusing: { on: boolean }; drop(): void; close(): Promise<void> }> {
  const refusing = { on: true };
  const server = await bareFayeServer({
    incoming(message: BayeuxMessage, callback: ExtensionCallback) {
      if (message.channel === '/meta/handshake' && refusing.on) message.error = '403::Handshake refused for the test';
      callback(message);
    },
  });
  return { url: server.url, refusing, drop: server.drop, close: server.close };
}
