import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import faye, { type BayeuxMessage, type Client, type Extension, type ExtensionCallback, type NodeAdapter } from 'faye';
import { tearDownFayeClient } from '../transport/teardown.js';
import { answerEachRequestOnce } from './answer-once.js';
import { createMetaLogger, type MetaLogEntry } from './meta-log.js';
import { INTERNAL_KEY } from './push-auth.js';
import { addToSetIndex } from './set-index.js';

/** How a reaped session's next request is refused; both wordings were seen from GroupMe. */
export type ReapRefusal = 'unknown-client' | 'invalid-client-id';

/** Published once by the in-process client: its reply means faye is ready and in order. */
const READY_CHANNEL = '/groupme-push-sim/ready';

/**
 * A real faye server (faye's own NodeAdapter) and the in-process client the simulator
 * publishes through. One hub per life of the HTTP server: a restart makes a new one, so
 * the old client ids are unknown afterwards, as after a real restart.
 */
export class PushHub {
  readonly #adapter: NodeAdapter;
  readonly #client: Client;
  /** channel → ids of the clients subscribed to it. */
  readonly #subscribers = new Map<string, Set<string>>();
  /** Clients that handshook on this hub and have not gone (faye's sessions), with their sockets. */
  readonly #sessions = new Map<string, Set<Socket>>();
  /** Clients with a faye connection open: a WebSocket, or a long-poll `/meta/connect` held. */
  readonly #connections = new Set<string>();
  #internalId: string | undefined;
  readonly #socketClients = new WeakMap<Socket, Set<string>>();
  /** Publishes not yet acknowledged, with the resolver that settles their `flush()`. */
  readonly #inFlight = new Map<Promise<void>, () => void>();
  /** Reaped sessions whose requests are refused as `401::Invalid client id`. */
  readonly #invalidIds = new Set<string>();
  readonly #ready: Promise<void>;
  #closed = false;

  constructor(auth: Extension, timeoutSeconds: number, secret: string, metaLog: MetaLogEntry[]) {
    this.#adapter = new faye.NodeAdapter({ mount: '/faye', timeout: timeoutSeconds });
    this.#adapter.addExtension(auth);
    this.#adapter.addExtension(this.#sessionTracker());
    this.#adapter.addExtension(this.#invalidClientId());
    // Last, so it logs the replies as they leave, after auth decided them.
    this.#adapter.addExtension(createMetaLogger(metaLog));
    this.#adapter.on('handshake', (clientId) => this.#sessions.set(String(clientId), new Set()));
    this.#adapter.on('disconnect', (clientId) => this.#sessions.delete(String(clientId)));
    this.#adapter.on('connection:open', (clientId) => this.#connections.add(String(clientId)));
    this.#adapter.on('connection:close', (clientId) => this.#connections.delete(String(clientId)));
    this.#adapter.on('subscribe', (clientId, channel) => addToSetIndex(this.#subscribers, String(channel), String(clientId)));
    this.#adapter.on('unsubscribe', (clientId, channel) => {
      const set = this.#subscribers.get(String(channel));
      set?.delete(String(clientId));
      if (set?.size === 0) this.#subscribers.delete(String(channel));
    });

    this.#client = this.#adapter.getClient();
    this.#client.addExtension({
      outgoing: (message: BayeuxMessage, callback: ExtensionCallback): void => {
        if (message.clientId) this.#internalId = message.clientId;
        if (!message.channel.startsWith('/meta/')) message.ext = { ...message.ext, [INTERNAL_KEY]: secret };
        callback(message);
      },
    });
    // faye reorders calls made before its handshake completes: nothing is published until
    // this first publish is acknowledged.
    this.#ready = new Promise((resolve) => this.#client.publish(READY_CHANNEL, null).then(resolve, () => resolve()));
  }

  attach(server: HttpServer): void {
    answerEachRequestOnce(this.#adapter);
    this.#adapter.attach(server);
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  /** Publishes `data` as-is on `channel`; publishes reach faye in call order. */
  publish(channel: string, data: unknown): void {
    if (this.#closed) return;
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const finish = (): void => {
      this.#inFlight.delete(done);
      settle();
    };
    this.#inFlight.set(done, finish);
    // A refused publish (an invalid channel from publishRaw) is dropped, like any other.
    this.#client.publish(channel, data).then(finish, finish);
  }

  /** Resolves once every publish made so far was acknowledged by faye (or the hub closed). */
  async flush(): Promise<void> {
    await Promise.all(this.#inFlight.keys());
  }

  /** Channels with at least one subscriber now. */
  subscribedChannels(): string[] {
    return [...this.#subscribers.keys()];
  }

  /**
   * Remote clients that are connected now: a live session on this hub, a faye connection
   * open (a WebSocket, or a long-poll held), and a socket to us that is still open. Each
   * alone over-counts: a client whose socket was destroyed keeps its session for a while
   * (it may come back with the same id), and faye notices a vanished long-poll only when
   * it next writes to it.
   */
  connectedClients(): number {
    let n = 0;
    for (const clientId of this.#connections) {
      if (clientId === this.#internalId) continue;
      const sockets = this.#sessions.get(clientId);
      if (sockets && sockets.size > 0) n++;
    }
    return n;
  }

  /**
   * Forgets every remote client's session, as GroupMe reaps idle ones: faye's engine
   * destroys each client, so its next `/meta/connect` or `/meta/subscribe` is refused with
   * `401:<clientId>:Unknown client` (advice `handshake`), or with `401::Invalid client id`
   * (GroupMe's other observed wording, which names no client) when `refusal` says so. faye
   * itself then flushes a `/meta/connect` still held for that client: a long-poll gets its
   * (successful) reply, a WebSocket is closed before the reply reaches it unless the socket
   * was detached first. The in-process client is spared. Returns how many were reaped.
   */
  reapSessions(options: { closeSockets?: boolean; refusal?: ReapRefusal } = {}): number {
    if (this.#closed) return 0;
    const engine = engineOf(this.#adapter);
    let reaped = 0;
    for (const clientId of [...this.#sessions.keys()]) {
      if (clientId === this.#internalId) continue;
      // Detached first, the WebSocket survives the session: faye would otherwise close it,
      // and a client would learn of the reap from a closed socket for free.
      if (!options.closeSockets) {
        const connection = engine._connections?.get(clientId);
        if (connection) connection.socket = null;
      }
      engine.destroyClient(clientId);
      if (options.refusal === 'invalid-client-id') this.#invalidIds.add(clientId);
      reaped++;
    }
    return reaped;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // The in-process client keeps a timer per message in flight and, once the server closes,
    // would re-handshake for ever: either keeps Node alive after close().
    tearDownFayeClient(this.#client);
    this.#adapter.close();
    for (const finish of [...this.#inFlight.values()]) finish();
    this.#sessions.clear();
    this.#connections.clear();
    this.#subscribers.clear();
    this.#invalidIds.clear();
  }

  /** Rewrites faye's own refusal of a session reaped as `invalid-client-id`. */
  #invalidClientId(): Extension {
    return {
      outgoing: (message: BayeuxMessage, callback: ExtensionCallback): void => {
        const unknown = typeof message.error === 'string' ? /^401:([^:,]+):Unknown client$/.exec(message.error) : null;
        if (unknown && this.#invalidIds.has(unknown[1]!)) message.error = '401::Invalid client id';
        callback(message);
      },
    };
  }

  /** Learns which socket carries which client, from every message a client sends. */
  #sessionTracker(): Extension {
    // faye passes the HTTP request (the upgrade request for a WebSocket; null in-process)
    // only to a function declared with three parameters.
    const incoming = (message: BayeuxMessage, request: unknown, callback: ExtensionCallback): void => {
      const socket = (request as IncomingMessage | null)?.socket;
      const clientId = message.clientId;
      if (socket && clientId) this.#track(clientId, socket);
      callback(message);
    };
    return { incoming: incoming as Extension['incoming'] };
  }

  #track(clientId: string, socket: Socket): void {
    const sockets = this.#sessions.get(clientId);
    if (!sockets || sockets.has(socket) || socket.destroyed) return;
    sockets.add(socket);
    let clients = this.#socketClients.get(socket);
    if (!clients) {
      this.#socketClients.set(socket, (clients = new Set()));
      socket.once('close', () => {
        for (const id of clients!) this.#sessions.get(id)?.delete(socket);
      });
    }
    clients.add(clientId);
  }
}

// faye 1.4.3 internals, touched here only (a faye client's are in transport/teardown.ts).
interface EngineInternals {
  destroyClient(clientId: string): void;
  _connections?: Map<string, { socket?: unknown }>;
}
interface AdapterInternals {
  _server?: { _engine?: Partial<EngineInternals> };
}

/** faye's engine proxy, which owns the sessions (`NodeAdapter._server._engine`). */
function engineOf(adapter: NodeAdapter): EngineInternals {
  const engine = (adapter as unknown as AdapterInternals)._server?._engine;
  if (typeof engine?.destroyClient !== 'function') throw new Error('faye internals changed: its engine cannot be reached to reap sessions.');
  return engine as EngineInternals;
}
