import { PushClient, type PushClientOptions, type StateChange } from '../../src/index.js';
import { createGroupMeServer, type GroupMeServer, type GroupMeServerOptions, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { until } from './wait.js';

/** Short timings so faults are noticed and recovered from in well under a second. */
export const FAST: Partial<PushClientOptions> = {
  liveness: { quietMs: 300, probeTimeoutMs: 300 },
  reconnect: { baseDelayMs: 50, maxDelayMs: 400 },
  subscribeTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  restRetry: { retries: 4, baseDelayMs: 10, maxDelayMs: 200 },
};

/** A server, a user with a group and a DM partner, and a client that records what it got. */
export class FaultWorld {
  readonly delivered = new Map<string, number>();
  readonly origins = new Map<string, string>();
  readonly states: StateChange[] = [];
  readonly errors: Error[] = [];

  private constructor(
    readonly server: GroupMeServer,
    readonly me: SimUser,
    readonly friend: SimUser,
    readonly group: SimGroup,
    readonly client: PushClient,
  ) {
    client.on('line.create', (e) => this.#count(e.message.id, e.origin, e.message.groupId));
    client.on('direct_message.create', (e) => this.#count(e.message.id, e.origin, e.message.chatId));
    client.on('state', (s) => this.states.push(s));
    client.on('error', (e) => this.errors.push(e));
  }

  /** The server runs GroupMe's as-observed profile (no pings) unless `server` says otherwise. */
  static async create(options: Partial<PushClientOptions> = {}, server: GroupMeServerOptions = {}): Promise<FaultWorld> {
    return FaultWorld.#build(await createGroupMeServer(server), options);
  }

  static #build(server: GroupMeServer, options: Partial<PushClientOptions>): FaultWorld {
    const me = server.addUser({ name: 'Me' });
    const friend = server.addUser({ name: 'Friend' });
    const group = server.addGroup({ name: 'G', members: [me.id, friend.id] });
    server.addChat(me.id, friend.id);
    const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, ...FAST, ...options });
    return new FaultWorld(server, me, friend, group, client);
  }

  /** Posts `n` group messages and one DM from the friend; returns their ids. */
  publish(n: number, label: string): string[] {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(this.server.post(this.group.id, this.friend.id, `${label} ${i}`).id);
    ids.push(this.server.sendDirectMessage(this.friend.id, this.me.id, `${label} dm`).id);
    return ids;
  }

  /** Every delivered id of one conversation (group id or `a+b`), in delivery order. */
  readonly order = new Map<string, string[]>();

  /** Waits until every id was delivered at least once. */
  async received(ids: readonly string[]): Promise<void> {
    await until(() => ids.every((id) => this.delivered.has(id)));
  }

  /** Ids delivered more than once (must be none). */
  duplicates(): string[] {
    return [...this.delivered].filter(([, n]) => n > 1).map(([id]) => id);
  }

  transitions(): string[] {
    return this.states.map((s) => s.current);
  }

  async close(): Promise<void> {
    await this.client.stop();
    await this.server.close();
  }

  #count(id: string, origin: string, conversation: string): void {
    const order = this.order.get(conversation) ?? [];
    order.push(id);
    this.order.set(conversation, order);
    this.delivered.set(id, (this.delivered.get(id) ?? 0) + 1);
    this.origins.set(id, origin);
  }
}
