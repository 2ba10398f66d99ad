import type { Server as HttpServer } from 'node:http';
import faye, { type BayeuxMessage, type Client, type ExtensionCallback, type NodeAdapter } from 'faye';
import { tearDownFayeClient } from '../transport/teardown.js';
import { createPushAuth, INTERNAL_KEY, type SubscribeLogEntry } from './push-auth.js';
import type { World } from './world.js';

/**
 * A real faye server (faye's own NodeAdapter) with GroupMe's auth rules, and the
 * in-process client the simulator publishes through. One hub per HTTP server life: a
 * restart makes a new hub, so old client ids become unknown, as after a real restart.
 */
export class PushHub {
  readonly #adapter: NodeAdapter;
  readonly #client: Client;
  readonly #subscribers = new Map<string, Set<string>>();
  readonly #clients = new Set<string>();
  readonly #ready: Promise<void>;

  constructor(world: World, log: SubscribeLogEntry[], timeoutSeconds: number, secret: string) {
    this.#adapter = new faye.NodeAdapter({ mount: '/faye', timeout: timeoutSeconds });
    this.#adapter.addExtension(createPushAuth(world, secret, log));
    this.#adapter.on('handshake', (clientId) => this.#clients.add(String(clientId)));
    this.#adapter.on('disconnect', (clientId) => {
      this.#clients.delete(String(clientId));
      for (const set of this.#subscribers.values()) set.delete(String(clientId));
    });
    this.#adapter.on('subscribe', (clientId, channel) => {
      const set = this.#subscribers.get(String(channel)) ?? new Set<string>();
      set.add(String(clientId));
      this.#subscribers.set(String(channel), set);
    });
    this.#adapter.on('unsubscribe', (clientId, channel) => this.#subscribers.get(String(channel))?.delete(String(clientId)));

    this.#client = this.#adapter.getClient();
    this.#client.addExtension({
      outgoing: (message: BayeuxMessage, callback: ExtensionCallback) => {
        if (!message.channel.startsWith('/meta/')) message.ext = { ...message.ext, [INTERNAL_KEY]: secret };
        callback(message);
      },
    });
    // faye reorders calls made before its handshake completes: publish nothing until then.
    this.#ready = new Promise((resolve) => {
      this.#client.publish('/warmup', null).then(resolve, () => resolve());
    });
  }

  attach(server: HttpServer): void {
    this.#adapter.attach(server);
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  /** Publishes `data` as-is on `channel`, in call order. */
  publish(channel: string, data: unknown): void {
    this.#client.publish(channel, data).then(() => undefined, () => undefined);
  }

  /** Channels with at least one subscriber now. */
  subscribedChannels(): string[] {
    return [...this.#subscribers].filter(([channel, set]) => set.size > 0 && channel !== '/warmup').map(([channel]) => channel);
  }

  /** Remote clients that handshook and have not disconnected or timed out (ours excluded). */
  connectedClients(): number {
    return Math.max(0, this.#clients.size - 1);
  }

  close(): void {
    tearDownFayeClient(this.#client);
    this.#adapter.close();
  }
}
