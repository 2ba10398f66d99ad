import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Actions, type AddMemberResult, type MessageChangePayload, type PostOptions } from './actions.js';
import { seedDemo, type DemoWorld } from './demo.js';
import { RateLimiter, RestFaults, SocketPool, type RestFault } from './faults.js';
import type {
  DirectMessageJson,
  GroupMessageJson,
  MembershipState,
  MessageJson,
  PushPayload,
  ReactionSubject,
  ReadReceiptSubject,
  SystemEventJson,
  TypingPayload,
} from './json.js';
import { restMessage } from './payloads.js';
import { createPushAuth, type SubscribeLogEntry } from './push-auth.js';
import type { MetaLogEntry } from './meta-log.js';
import { PushHub, type ReapRefusal } from './push-hub.js';
import { RestApi, type RequestLogEntry, type RestReadings } from './rest-routes.js';
import { World, type AddGroupOptions, type AddUserOptions, type SimChat, type SimGroup, type SimUser } from './state.js';

/**
 * `GET /direct_messages`, where the sources disagree. The defaults are the readings least
 * convenient for a client: a client that works with them works with every reading.
 */
export interface DirectMessagesOptions {
  /**
   * `after_id` is undocumented for DMs (one client refuses it, others never send it).
   * `'ignored'` (default): it is read as absent, so the answer is the NEWEST page, newest
   * first. `'honoured'`: the messages right after it, oldest first, as for groups.
   */
  readonly afterId?: 'ignored' | 'honoured';
  /**
   * The most messages a page holds, whatever `limit` asks (a smaller `limit` is obeyed).
   * Default 20, as reported; raise it (up to 100, the largest `limit`) to give `limit` its
   * group meaning.
   */
  readonly pageSize?: number;
}

/** `GET /groups/:id/messages`. */
export interface GroupHistoryOptions {
  /**
   * Default true: a page that walks the history (`after_id` or `before_id`) ends right
   * after a message whose id is a multiple of 7, however large `limit` is: GroupMe's
   * pages sometimes end short in the middle of a history, so only an empty page (a 304)
   * or reaching the newest id ends a walk. Such a page always holds at least one message.
   * `false`: every page is as long as `limit` allows.
   */
  readonly shortPages?: boolean;
}

/** `GET /memberships/states`. */
export interface MembershipStatesOptions {
  /**
   * Rows a page holds. Default 10. Pages are read with `?page=N` (1-based); a request
   * without `page` gets page 1 only; `per_page` is not read; past the end, `[]`.
   */
  readonly pageSize?: number;
}

/** Requests a second per token past which GroupMe answered 429 in public reports. */
const OBSERVED_RATE_LIMIT = 10;

/** How to start a look-alike server. */
export interface GroupMeServerOptions {
  /** Default 0: a free port, chosen once and kept across `restart()`. */
  readonly port?: number;
  /**
   * `{type: "ping"}` on every subscribed channel this often. Default 0: never, as two
   * recent sources saw no pings at all (one doc says every 30 s). Set it to test a
   * client against pings; a client must not need them.
   */
  readonly pingIntervalMs?: number;
  /**
   * How long the faye server holds a `/meta/connect` open, in seconds; it is also the
   * advised `timeout`. Default 600, as GroupMe advises (`advice.timeout` 600000): a
   * healthy idle connection can be silent for 10 minutes.
   */
  readonly fayeTimeoutSeconds?: number;
  /** `'demo'` seeds a small named world, see `server.demo`. Default `'empty'`. */
  readonly seed?: 'demo' | 'empty';
  /**
   * Answer 429 (with no `Retry-After`, as observed) past this many REST requests within a
   * second per token; refused requests count too. Default 10, GroupMe's observed limit;
   * 0 turns it off.
   */
  readonly rateLimitPerSecond?: number;
  /** `GET /direct_messages` paging: `after_id` ignored and 20 a page by default. */
  readonly directMessages?: DirectMessagesOptions;
  /** `GET /groups/:id/messages` paging: short pages in the middle by default. */
  readonly groupHistory?: GroupHistoryOptions;
  /** `GET /memberships/states` paging: 10 a page by default. */
  readonly membershipStates?: MembershipStatesOptions;
}

/**
 * A local GroupMe on 127.0.0.1: a real faye push server enforcing GroupMe's subscribe
 * auth, and the v3 REST API, over one in-memory world. Create it with
 * `createGroupMeServer()`; drive it with the methods below; `close()` it when done.
 *
 * Driver methods change the world first, then publish, and return synchronously what they
 * stored or published. Publishing completes a moment later: `await server.flush()` when
 * the next step depends on faye having accepted everything.
 */
export class GroupMeServer {
  /** The world `seed: 'demo'` created, if any. */
  readonly demo: DemoWorld | undefined;
  readonly #world = new World();
  readonly #actions: Actions;
  readonly #rest: RestApi;
  readonly #restFaults = new RestFaults();
  readonly #sockets = new SocketPool();
  readonly #subscribeLog: SubscribeLogEntry[] = [];
  readonly #metaLog: MetaLogEntry[] = [];
  // Marks the server's own publishes; random so that no remote client can forge it.
  readonly #secret = randomBytes(24).toString('hex');
  readonly #pingIntervalMs: number;
  readonly #fayeTimeoutSeconds: number;
  #port: number;
  #http: Server | undefined;
  #hub: PushHub | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  /** restart() and close() run one at a time, in call order. */
  #lifecycle: Promise<void> = Promise.resolve();
  #closed = false;

  /** @internal use `createGroupMeServer()` */
  constructor(options: GroupMeServerOptions = {}) {
    this.#port = options.port ?? 0;
    this.#pingIntervalMs = nonNegative('pingIntervalMs', options.pingIntervalMs ?? 0);
    this.#fayeTimeoutSeconds = nonNegative('fayeTimeoutSeconds', options.fayeTimeoutSeconds ?? 600) || 600;
    this.#actions = new Actions(this.#world, (channel, data) => this.#hub?.publish(channel, data));
    this.#rest = new RestApi(
      this.#world,
      this.#actions,
      this.#restFaults,
      new RateLimiter(nonNegative('rateLimitPerSecond', options.rateLimitPerSecond ?? OBSERVED_RATE_LIMIT)),
      restReadings(options),
    );
    this.demo = options.seed === 'demo' ? seedDemo(this) : undefined;
  }

  /** `http://127.0.0.1:PORT/faye`: the client's `pushUrl`. */
  get pushUrl(): string {
    return `http://127.0.0.1:${this.#port}/faye`;
  }

  /** `http://127.0.0.1:PORT/v3`: the client's `apiUrl`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/v3`;
  }

  /** The port, the same after `restart()`. */
  get port(): number {
    return this.#port;
  }

  /** Every REST request, in order, with where its token travelled and the status answered. */
  get requestLog(): readonly RequestLogEntry[] {
    return this.#rest.log;
  }

  /** Every `/meta/subscribe`, one row per channel, with the `ext` sent and the outcome. */
  get subscribeLog(): readonly SubscribeLogEntry[] {
    return this.#subscribeLog;
  }

  /**
   * Every `/meta/*` reply to a remote client (handshakes, connects, subscribes...), in
   * order, with the client id asked about, the outcome and the advice: enough to prove
   * that a client was refused and handshook again. A held `/meta/connect` appears when it
   * is answered.
   */
  get metaLog(): readonly MetaLogEntry[] {
    return this.#metaLog;
  }

  /** @internal */
  async listen(): Promise<void> {
    const http = createServer((req, res) => this.#onRequest(req, res));
    http.on('connection', (socket) => this.#sockets.add(socket));
    const auth = createPushAuth(this.#world, this.#secret, this.#subscribeLog);
    const hub = new PushHub(auth, this.#fayeTimeoutSeconds, this.#secret, this.#metaLog);
    hub.attach(http);
    try {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(this.#port, '127.0.0.1', () => {
          http.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      hub.close();
      throw error;
    }
    const address = http.address();
    if (address && typeof address === 'object') this.#port = address.port;
    this.#http = http;
    this.#hub = hub;
    await hub.ready();
    if (this.#pingIntervalMs > 0 && !this.#pingTimer) {
      this.#pingTimer = setInterval(() => this.ping(), this.#pingIntervalMs);
    }
  }

  // ---- the world ------------------------------------------------------------------

  /** A person with an access token (derived from the id unless given). */
  addUser(options: AddUserOptions): SimUser {
    const { id, name, token, avatarUrl } = this.#world.addUser(options);
    return { id, name, token, avatarUrl };
  }

  /** A group; its first member is the creator; every member is `active` unless `states` says otherwise. */
  addGroup(options: AddGroupOptions): SimGroup {
    const group = this.#world.addGroup(options);
    return { id: group.id, name: group.name };
  }

  /** Sets (or creates) a membership's state: `active`, `exited`, `removed`, `pending`... */
  setMembershipState(groupId: string, userId: string, state: MembershipState): void {
    this.#world.setMembership(this.#world.group(groupId), userId, state);
  }

  /** The DM thread between two users (also created by their first message). */
  addChat(userA: string, userB: string): SimChat {
    const chat = this.#world.chat(userA, userB);
    return { id: chat.id, userIds: chat.userIds };
  }

  /** The message with this id as REST returns it now (a copy). */
  message(messageId: string): MessageJson {
    return restMessage(this.#world.locate(messageId).message);
  }

  // ---- events ---------------------------------------------------------------------

  /** A member posts: `line.create` on every active member's `/user` channel, sender included. */
  post(groupId: string, userId: string, text: string | null, options?: PostOptions): GroupMessageJson {
    return this.#actions.post(groupId, userId, text, options);
  }

  /** A DM: `direct_message.create` on both users' `/user` channels. */
  sendDirectMessage(fromId: string, toId: string, text: string | null, options?: PostOptions): DirectMessageJson {
    return this.#actions.sendDirectMessage(fromId, toId, text, options);
  }

  /**
   * A reaction: `favorite` on the conversation's channel (returned), and `like.create` on
   * the author's `/user` channel unless they reacted to their own message.
   */
  react(userId: string, messageId: string, code = '❤️'): PushPayload<ReactionSubject> {
    return this.#actions.react(userId, messageId, code);
  }

  /** The reaction is taken back: `favorite` again, with the reactions that remain. */
  unreact(userId: string, messageId: string, code = '❤️'): PushPayload<ReactionSubject> {
    return this.#actions.unreact(userId, messageId, code);
  }

  /**
   * `message.deleted` on the conversation's channel (returned); REST then shows the
   * tombstone too. GroupMe also tells every member's `/user` channel with a system
   * message (`event.type` `message.deleted`): returned as `.notice`, not stored in the
   * history. `actor` is the `deletion_actor`, e.g. `'sender'` or `'admin'`.
   */
  deleteMessage(messageId: string, actor = 'sender'): MessageChangePayload {
    return this.#actions.deleteMessage(messageId, actor);
  }

  /**
   * `message.update` on the conversation's channel (returned), and a system message
   * (`event.type` `message.update`) on every member's `/user` channel, returned as
   * `.notice` and not stored in the history.
   */
  editMessage(messageId: string, text: string): MessageChangePayload {
    return this.#actions.editMessage(messageId, text);
  }

  /** `typing` on a group's channel, or on a DM thread's when given `a+b` or `a_b`. */
  typing(userId: string, conversationId: string): TypingPayload {
    return this.#actions.typing(userId, conversationId);
  }

  /** `read_receipt.create` on the DM thread's channel (`chatId` as `a+b` or `a_b`). */
  readReceipt(userId: string, chatId: string, messageId: string): PushPayload<ReadReceiptSubject> {
    return this.#actions.readReceipt(userId, chatId, messageId);
  }

  /** A system message (`sender_id: "system"`, carrying `event`) as `line.create`. */
  systemEvent(groupId: string, event: SystemEventJson, text: string): GroupMessageJson {
    return this.#actions.systemEvent(groupId, event, text);
  }

  /** `membership.create` to the added user, and a `membership.announce.added` system message. */
  addMember(groupId: string, userId: string, adderId: string): AddMemberResult {
    return this.#actions.addMember(groupId, userId, adderId);
  }

  /** `{type: "ping"}` on every channel with a subscriber, now; returns those channels. */
  ping(): string[] {
    const channels = this.#hub?.subscribedChannels() ?? [];
    for (const channel of channels) this.#hub?.publish(channel, { type: 'ping' });
    return channels;
  }

  /** Publishes anything, as-is, on any channel: for malformed-payload tests. */
  publishRaw(channel: string, data: unknown): void {
    this.#hub?.publish(channel, data);
  }

  /** Resolves once faye has accepted everything published so far. */
  flush(): Promise<void> {
    return this.#hub?.flush() ?? Promise.resolve();
  }

  /** Remote faye clients with a live session and an open connection to this server now. */
  connectedClients(): number {
    return this.#hub?.connectedClients() ?? 0;
  }

  // ---- faults ---------------------------------------------------------------------

  /**
   * Closes the HTTP server and every socket, then listens again on the same port with the
   * same world. The faye server is new: old client ids are unknown, as after a real
   * restart, and whatever is published meanwhile is stored but pushed to no one.
   */
  restart(): Promise<void> {
    return this.#serially(async () => {
      if (this.#closed) throw new Error('The server is closed.');
      await this.#stopListening();
      await this.listen();
    });
  }

  /**
   * Forgets every Faye session now, as GroupMe reaps idle ones; sockets and the world
   * stay. Each client's next `/meta/connect` or `/meta/subscribe` is refused with
   * `401:<clientId>:Unknown client` (advice `reconnect: 'handshake'` on a connect): a dead
   * session, not a bad token, cured by a new handshake and re-subscribing. With `refusal:
   * 'invalid-client-id'` the refusal is `401::Invalid client id`, GroupMe's other observed
   * wording, which names no client: a subscribe refused so looks like a bad token or a
   * channel that is not yours.
   *
   * By default the sockets stay open, the least convenient reading for a client: nothing
   * says a reaped session's socket is closed, and GroupMe's reported symptom is a refusal
   * of the next request. A `/meta/connect` held at that moment is answered (successfully,
   * as an empty connect), the client's next one is refused, and until then whatever is
   * published is lost to it with no sign at all. `{ closeSockets: true }` lets faye close
   * them instead, as it does by itself: a faye client then sees `transport:down` at once.
   * Returns how many sessions were reaped (the server's own publisher is spared).
   */
  reapSessions(options: { readonly closeSockets?: boolean; readonly refusal?: ReapRefusal } = {}): number {
    return this.#hub?.reapSessions(options) ?? 0;
  }

  /** Destroys every open socket at once; the server stays up. */
  dropConnections(): void {
    this.#sockets.destroyAll();
  }

  /**
   * While on, every socket stays open but nothing is read or sent, new connections
   * included: a dead link that looks alive. Turning it off destroys the sockets it
   * silenced (they lost data); connections made from then on work.
   */
  blackhole(on: boolean): void {
    this.#sockets.setBlackhole(on);
  }

  /** That token now fails REST (401) and subscribes (401); connected clients are not kicked. */
  revokeToken(token: string): void {
    this.#world.revoke(token);
  }

  /** The next matching REST requests answer `status`, in GroupMe's error envelope. */
  failNextRest(fault: RestFault): void {
    this.#restFaults.add(fault);
  }

  /** Stops everything; afterwards nothing of the server keeps the process alive. */
  close(): Promise<void> {
    return this.#serially(async () => {
      if (this.#closed) return;
      this.#closed = true;
      clearInterval(this.#pingTimer);
      this.#pingTimer = undefined;
      await this.#stopListening();
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    // faye answers its own mount before this listener sees anything.
    if (this.#sockets.blackholed) return;
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/v3' || path.startsWith('/v3/')) {
      this.#rest.handle(req, res).catch(() => res.destroy());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  async #stopListening(): Promise<void> {
    const http = this.#http;
    this.#hub?.close();
    this.#hub = undefined;
    this.#http = undefined;
    if (!http) return;
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    this.#sockets.destroyAll();
    http.closeAllConnections();
    await closed;
  }

  #serially(step: () => Promise<void>): Promise<void> {
    const run = this.#lifecycle.then(step);
    this.#lifecycle = run.catch(() => undefined);
    return run;
  }
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number >= 0, not ${value}.`);
  return value;
}

function pageSize(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer >= 1, not ${value}.`);
  return value;
}

function restReadings(options: GroupMeServerOptions): RestReadings {
  const dmAfterId = options.directMessages?.afterId ?? 'ignored';
  if (dmAfterId !== 'ignored' && dmAfterId !== 'honoured') {
    throw new RangeError(`directMessages.afterId must be 'ignored' or 'honoured', not ${String(dmAfterId)}.`);
  }
  return {
    dmAfterId,
    dmPageSize: pageSize('directMessages.pageSize', options.directMessages?.pageSize ?? 20),
    historyShortPages: options.groupHistory?.shortPages ?? true,
    membershipStatesPageSize: pageSize('membershipStates.pageSize', options.membershipStates?.pageSize ?? 10),
  };
}

/**
 * Starts a GroupMe look-alike on 127.0.0.1: a real faye push server that enforces
 * GroupMe's subscribe auth, and the REST API, over an in-memory world you build.
 *
 * @example
 * const server = await createGroupMeServer();
 * const me = server.addUser({ name: 'Me' });
 * const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl });
 */
export async function createGroupMeServer(options: GroupMeServerOptions = {}): Promise<GroupMeServer> {
  const server = new GroupMeServer(options);
  await server.listen();
  return server;
}
