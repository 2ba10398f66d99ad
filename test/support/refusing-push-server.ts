import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import faye, { type BayeuxMessage, type ExtensionCallback } from 'faye';

/** A bare faye server that refuses every handshake while `refusing.on` is set. */
export async function refusingPushServer(): Promise<{ url: string; refusing: { on: boolean }; drop(): void; close(): Promise<void> }> {
  const refusing = { on: true };
  const adapter = new faye.NodeAdapter({ mount: '/faye', timeout: 10 });
  adapter.addExtension({
    incoming(message: BayeuxMessage, callback: ExtensionCallback) {
      if (message.channel === '/meta/handshake' && refusing.on) message.error = '403::Handshake refused for the test';
      callback(message);
    },
  });
  const http = createServer();
  const sockets = new Set<Socket>();
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  adapter.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  const drop = (): void => sockets.forEach((socket) => socket.destroy());
  return {
    url: `http://127.0.0.1:${port}/faye`,
    refusing,
    drop,
    close: async () => {
      adapter.close();
      drop();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
