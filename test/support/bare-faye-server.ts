import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import faye, { type Extension, type NodeAdapter } from 'faye';

export interface BareFayeServer {
  readonly url: string;
  readonly adapter: NodeAdapter;
  /** Destroys every open socket; the server keeps listening. */
  drop(): void;
  close(): Promise<void>;
}

/** A plain faye server on 127.0.0.1 with the given extensions: none of the look-alike's behaviour. */
export async function bareFayeServer(...extensions: Extension[]): Promise<BareFayeServer> {
  const adapter = new faye.NodeAdapter({ mount: '/faye', timeout: 10 });
  for (const extension of extensions) adapter.addExtension(extension);
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
    adapter,
    drop,
    close: async () => {
      adapter.close();
      drop();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
