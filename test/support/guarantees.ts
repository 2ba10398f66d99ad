// Shared pieces for test/client/guarantees-*.test.ts: a scene (look-alike server, two users,
// one group, a client that records everything it emitted), and small helpers to wait on
// conditions and promises without ever asserting a duration.
import assert from 'node:assert/strict';
import net from 'node:net';
import { PushClient, type GroupMePushError, type PushClientOptions, type PushEvent, type StateChange } from '../../src/index.js';
import { createGroupMeServer, type GroupMeServer, type GroupMeServerOptions, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { FAST } from './fault-world.js';
import { nextEvent } from './wait.js';

/** FAST, with REST pacing loose enough that a catch-up of a few hundred messages is quick. */
export const QUICK: Partial<PushClientOptions> = { ...FAST, restRateLimit: { perSecond: 500, burst: 200 } };

/** A promise and the functions that settle it. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A promise whose outcome can be read synchronously once it has settled. */
export interface Tracked<T> {
  readonly settled: boolean;
  readonly outcome: { readonly kind: 'fulfilled'; readonly value: T } | { readonly kind: 'rejected'; readonly reason: unknown } | undefined;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const state: { settled: boolean; outcome: Tracked<T>['outcome'] } = { settled: false, outcome: undefined };
  promise.then(
    (value) => {
      state.settled = true;
      state.outcome = { kind: 'fulfilled', value };
    },
    (reason: unknown) => {
      state.settled = true;
      state.outcome = { kind: 'rejected', reason };
    },
  );
  return state;
}

/**
 * Polls `condition` until it holds or `limitMs` passed; returns whether it held. A bound on
 * a wait for something that takes milliseconds when the behaviour exists, so that a missing
 * behaviour ends in a readable assertion instead of a test timeout. It never asserts speed:
 * every limit is one to three orders of magnitude above the expected time.
 */
export async function within(condition: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/**
 * Waits until `condition` holds; gives up with an AssertionError naming `what` after
 * `limitMs`. Every wait in these tests is bounded this way: node:test's own timeout fails a
 * test but cannot stop it, and a test stuck in a wait never reaches the `finally` that
 * closes its server, so the file would never exit. The limits are far above what the
 * awaited thing needs when the behaviour exists; they bound a wait, they measure nothing.
 */
export async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  if (!(await within(condition, limitMs))) throw new assert.AssertionError({ message: `gave up waiting for: ${what}` });
}

/** `promise`, or an AssertionError naming `what` if it has not settled after `limitMs`. */
export async function settleWithin<T>(promise: Promise<T>, what: string, limitMs = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new assert.AssertionError({ message: `gave up waiting for: ${what}` })), limitMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets pending I/O callbacks and microtasks run: a few full turns of the event loop. */
export async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Records unhandled promise rejections until disposed. node:test also fails the running test
 * on one (with the rejection's own message), so the error thrown by a test's listener says
 * what it means.
 */
export function captureUnhandled(): { readonly reasons: unknown[]; dispose(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  return { reasons, dispose: () => process.off('unhandledRejection', listener) };
}

/** The DM thread id as REST spells it, `lo+hi`, ids compared as numbers (written out here on purpose). */
export function threadId(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? `${a}+${b}` : `${b}+${a}`;
}

/** A conversation key of a message event: the group id, or the thread `lo+hi`. */
export function conversationOf(event: PushEvent): string | undefined {
  if (event.type === 'line.create') return `group:${event.message.groupId}`;
  if (event.type === 'direct_message.create') return `dm:${event.message.chatId}`;
  return undefined;
}

/** Every push event `client` emits from now on, in order (a plain `event` listener). */
export function recordEvents(client: PushClient): PushEvent[] {
  const events: PushEvent[] = [];
  client.on('event', (e) => void events.push(e));
  return events;
}

/** Message ids of one conversation (`group:<id>` or `dm:<lo+hi>`) among `events`, in order. */
export function conversationIds(events: readonly PushEvent[], key: string): string[] {
  return events.flatMap((e) => (conversationOf(e) === key && (e.type === 'line.create' || e.type === 'direct_message.create') ? [e.message.id] : []));
}

/** Message ids ascending as numbers. */
export function ascending(ids: readonly string[]): boolean {
  return ids.every((id, i) => i === 0 || BigInt(ids[i - 1]!) < BigInt(id));
}

/**
 * A look-alike server, me, a friend, a group of the two, and a client of mine that records
 * (with plain synchronous listeners) every event, state change and error it emitted.
 */
export class Scene {
  /** Every push event, in the order the client emitted it (an `event` listener). */
  readonly events: PushEvent[] = [];
  readonly states: StateChange[] = [];
  readonly errors: GroupMePushError[] = [];

  private constructor(
    readonly server: GroupMeServer,
    readonly me: SimUser,
    readonly friend: SimUser,
    readonly group: SimGroup,
    readonly client: PushClient,
  ) {
    client.on('event', (e) => this.events.push(e));
    client.on('state', (s) => this.states.push(s));
    client.on('error', (e) => this.errors.push(e));
  }

  static async create(options: Partial<PushClientOptions> = {}, serverOptions: GroupMeServerOptions = {}): Promise<Scene> {
    // QUICK paces REST at 500/s so a catch-up of hundreds is quick; GroupMe's limiter (on by
    // default) would then measure itself. It has its own tests (catch-up, as-observed).
    const server = await createGroupMeServer({ rateLimitPerSecond: 0, ...serverOptions });
    const me = server.addUser({ name: 'Me' });
    const friend = server.addUser({ name: 'Friend' });
    const group = server.addGroup({ name: 'G', members: [me.id, friend.id] });
    server.addChat(me.id, friend.id);
    const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, ...QUICK, ...options });
    return new Scene(server, me, friend, group, client);
  }

  /** The thread between me and the friend, `lo+hi`. */
  get chatId(): string {
    return threadId(this.me.id, this.friend.id);
  }

  /** Starts the client and waits for its first catch-up report (the baseline). */
  async start(): Promise<void> {
    const baseline = nextEvent(this.client, 'catch-up');
    await settleWithin(this.client.start(), 'start()');
    await settleWithin(baseline, 'the first catch-up report');
  }

  /** Ids of the message events (`line.create`, `direct_message.create`) emitted so far. */
  messageIds(): string[] {
    return this.events.flatMap((e) => (e.type === 'line.create' || e.type === 'direct_message.create' ? [e.message.id] : []));
  }

  /** How many times each message id was emitted. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const id of this.messageIds()) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  }

  /** Waits until every id was emitted at least once. */
  async received(ids: readonly string[], what = 'every message to be delivered', limitMs?: number): Promise<void> {
    await waitFor(() => {
      const seen = new Set(this.messageIds());
      return ids.every((id) => seen.has(id));
    }, what, limitMs);
  }

  /** Message ids emitted in one conversation (`group:<id>` or `dm:<lo+hi>`), in emission order. */
  conversation(key: string): string[] {
    return conversationIds(this.events, key);
  }

  async close(): Promise<void> {
    try {
      await this.client.stop();
    } finally {
      await this.server.close();
    }
  }
}

/**
 * A TCP relay in front of the look-alike's push endpoint, to make it unreachable while the
 * server itself stays up: `cut()` closes every relayed connection and from then on accepts
 * each new one and closes it at once (each is logged as `'connection'`); `heal()` relays again.
 * Used as the client's `pushUrl`; REST goes straight to the server.
 */
export class Relay {
  /** A shared log where the relay writes `'connection'` for every refused connection. */
  readonly #log: string[];
  readonly #open = new Set<net.Socket>();
  #cut = false;

  private constructor(
    readonly server: net.Server,
    readonly port: number,
    log: string[],
  ) {
    this.#log = log;
  }

  static async create(targetPort: number, log: string[]): Promise<Relay> {
    let relay: Relay | undefined;
    const server = net.createServer((socket) => relay!.#accept(socket, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay = new Relay(server, (server.address() as net.AddressInfo).port, log);
    return relay;
  }

  get pushUrl(): string {
    return `http://127.0.0.1:${this.port}/faye`;
  }

  cut(): void {
    this.#cut = true;
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }

  heal(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(socket: net.Socket, targetPort: number): void {
    if (this.#cut) {
      this.#log.push('connection');
      socket.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    const close = (): void => {
      socket.destroy();
      upstream.destroy();
      this.#open.delete(socket);
      this.#open.delete(upstream);
    };
    this.#open.add(socket);
    this.#open.add(upstream);
    socket.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    socket.pipe(upstream);
    upstream.pipe(socket);
  }
}
