import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { toPushChatId } from '../events/channel.js';
import { directMessageJson, groupMessageJson, groupSummaryJson, lineOf, pushData } from './payloads.js';
import { PushHub } from './push-hub.js';
import type { SubscribeLogEntry } from './push-auth.js';
import { RestRoutes, type RequestLogEntry, type RestFault } from './rest-routes.js';
import { World, type MessageJson, type MessageLocation, type SimChat, type SimGroup, type SimUser } from './world.js';

/** How to start a look-alike server. */
export interface GroupMeServerOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** GroupMe pings every subscribed channel about every 30 s. Default 30,000; 0 disables. */
  readonly pingIntervalMs?: number;
  /** How long the faye server holds a `/meta/connect` open, in seconds. Default 30. */
  readonly fayeTimeoutSeconds?: number;
  /** `'demo'` seeds a small named world, see `server.demo`. Default `'empty'`. */
  readonly seed?: 'demo' | 'empty';
  /** Answer 429 (`Retry-After: 1`) past this many REST requests a second per token, as GroupMe does. Default 0: off. */
  readonly rateLimitPerSecond?: number;
}

/** The world `seed: 'demo'` creates. The main user's token is `demo-token`. */
export interface DemoWorld {
  readonly me: SimUser;
  readonly others: readonly SimUser[];
  readonly groups: readonly SimGroup[];
  readonly chat: SimChat;
}

/** Options of a post. */
export interface PostOptions {
  readonly attachments?: readonly unknown[];
  /** Defaults to a fresh GUID. */
  readonly sourceGuid?: string;
}

/**
 * A local GroupMe: a real faye push server and the REST endpoints, on 127.0.0.1. Create it
 * with `createGroupMeServer()`.
 */
export class GroupMeServer {
  /** Every `/meta/subscribe` the server judged, in order. */
  readonly subscribeLog: SubscribeLogEntry[] = [];
  /** The world `seed: 'demo'` created, if any. */
  demo: DemoWorld | undefined;
  readonly #world = new World();
  readonly #rest: RestRoutes;
  readonly #secret = randomUUID();
  readonly #sockets = new Set<Socket>();
  readonly #options: Required<Omit<GroupMeServerOptions, 'seed' | 'port' | 'rateLimitPerSecond'>>;
  #port: number;
  #http: Server | undefined;
  #hub: PushHub | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #blackhole = false;
  #closed = false;

  /** @internal use `createGroupMeServer()` */
  constructor(options: GroupMeServerOptions = {}) {
    this.#port = options.port ?? 0;
    this.#options = {
      pingIntervalMs: options.pingIntervalMs ?? 30_000,
      fayeTimeoutSeconds: options.fayeTimeoutSeconds ?? 30,
    };
    this.#rest = new RestRoutes(this.#world, {
      postGroupMessage: (groupId, user, text, guid, attachments) =>
        this.post(groupId, user.id, text, { attachments, sourceGuid: guid ?? undefined }),
      postDirectMessage: (user, recipientId, text, guid, attachments) =>
        this.sendDirectMessage(user.id, recipientId, text, { attachments, sourceGuid: guid ?? undefined }),
      like: (user, messageId) => this.react(user.id, messageId),
    }, options.rateLimitPerSecond);
    if (options.seed === 'demo') this.demo = seedDemo(this);
  }

  /** `http://127.0.0.1:PORT/faye`: pass it as `pushUrl`. */
  get pushUrl(): string {
    return `http://127.0.0.1:${this.#port}/faye`;
  }

  /** `http://127.0.0.1:PORT/v3`: pass it as `apiUrl`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/v3`;
  }

  get port(): number {
    return this.#port;
  }

  /** Every REST request, in order, with where its token travelled. */
  get requestLog(): readonly RequestLogEntry[] {
    return this.#rest.log;
  }

  /** @internal */
  async listen(): Promise<void> {
    const http = createServer((req, res) => {
      if (this.#blackhole) return; // the request hangs, as through a dead link
      if (req.url?.startsWith('/v3/') || req.url === '/v3') {
        this.#rest.handle(req, res).catch(() => res.destroy());
        return;
      }
      res.writeHead(404).end();
    });
    http.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      if (this.#blackhole) silence(socket);
    });
    const hub = new PushHub(this.#world, this.subscribeLog, this.#options.fayeTimeoutSeconds, this.#secret);
    hub.attach(http);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.#port, '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    const address = http.address();
    if (address && typeof address === 'object') this.#port = address.port;
    this.#http = http;
    this.#hub = hub;
    await hub.ready();
    if (this.#options.pingIntervalMs > 0 && !this.#pingTimer) {
      this.#pingTimer = setInterval(() => this.ping(), this.#options.pingIntervalMs);
    }
  }

  // ---- the world -------------------------------------------------------------------

  /** A person with an access token (random unless given). */
  addUser(options: { id?: string; name: string; token?: string; avatarUrl?: string | null }): SimUser {
    return this.#world.addUser(options);
  }

  /** A group; every member is `active` unless `states` says otherwise. */
  addGroup(options: { id?: string; name: string; members: readonly string[]; states?: Record<string, string> }): SimGroup {
    const group = this.#world.addGroup(options);
    return { id: group.id, name: group.name };
  }

  /** Changes a membership state (`active`, `exited`, `removed`, `pending`...). */
  setMembershipState(groupId: string, userId: string, state: string): void {
    this.#world.group(groupId).memberships.set(userId, state);
  }

  /** A DM thread between two users (created on first message otherwise). */
  addChat(userA: string, userB: string): SimChat {
    const chat = this.#world.chat(userA, userB);
    return { id: chat.id, userIds: chat.userIds };
  }

  /** The message with this id, as REST returns it. */
  message(messageId: string): MessageJson {
    return this.#world.locate(messageId).message;
  }

  // ---- events ----------------------------------------------------------------------

  /** A member posts: `line.create` on every active member's `/user` channel. */
  post(groupId: string, userId: string, text: string | null, options: PostOptions = {}): MessageJson {
    const group = this.#world.group(groupId);
    const user = this.#world.user(userId);
    const message = groupMessageJson(group, {
      id: this.#world.ids.message(),
      guid: options.sourceGuid ?? this.#world.ids.guid(),
      sender: user,
      text,
      attachments: options.attachments,
    });
    this.#world.store({ kind: 'group', group, message });
    const data = pushData('line.create', `${user.name}: ${text ?? ''}`, message);
    for (const member of this.#world.activeMembers(group)) this.publishRaw(`/user/${member}`, data);
    return message;
  }

  /** `direct_message.create` on both users' `/user` channels. */
  sendDirectMessage(fromId: string, toId: string, text: string | null, options: PostOptions = {}): MessageJson {
    const from = this.#world.user(fromId);
    const to = this.#world.user(toId);
    const chat = this.#world.chat(fromId, toId);
    const message = directMessageJson(chat, from, to, {
      id: this.#world.ids.message(),
      guid: options.sourceGuid ?? this.#world.ids.guid(),
      sender: from,
      text,
      attachments: options.attachments,
    });
    this.#world.store({ kind: 'chat', chat, message });
    const { conversation_id: _restOnly, ...subject } = message;
    const data = pushData('direct_message.create', `${from.name}: ${text ?? ''}`, subject);
    this.publishRaw(`/user/${toId}`, data);
    this.publishRaw(`/user/${fromId}`, data);
    return message;
  }

  /**
   * A reaction: `favorite` on the conversation's channel, and `like.create` on the
   * author's `/user` channel when someone else reacted.
   */
  react(userId: string, messageId: string, code = '❤️'): void {
    const user = this.#world.user(userId);
    const location = this.#world.locate(messageId);
    const message = location.message;
    const reactions = reactionsOf(message);
    let reaction = reactions.find((r) => r.code === code);
    if (!reaction) {
      reaction = { type: 'unicode', code, user_ids: [] };
      reactions.push(reaction);
    }
    if (!reaction.user_ids.includes(user.id)) reaction.user_ids.push(user.id);
    const favoritedBy = message.favorited_by as string[];
    if (!favoritedBy.includes(user.id)) favoritedBy.push(user.id);
    message.favorited_at = Math.floor(Date.now() / 1000);
    this.#publishReaction(location, user, reaction);
  }

  /** The reaction is removed: `favorite` again, with the reactions that remain. */
  unreact(userId: string, messageId: string, code = '❤️'): void {
    const user = this.#world.user(userId);
    const location = this.#world.locate(messageId);
    const reactions = reactionsOf(location.message);
    for (const r of reactions) if (r.code === code) r.user_ids = r.user_ids.filter((id) => id !== user.id);
    location.message.reactions = reactions.filter((r) => r.user_ids.length > 0);
    location.message.favorited_by = (location.message.favorited_by as string[]).filter((id) => id !== user.id);
    this.publishRaw(conversationChannel(location), pushData('favorite', '', {
      line: lineOf(location.message),
      reactions: location.message.reactions,
      user_id: user.id,
    }));
  }

  /** `message.deleted` on the conversation's channel. */
  deleteMessage(messageId: string, actor = 'sender'): void {
    const location = this.#world.locate(messageId);
    const message = location.message;
    message.deleted_at = new Date().toISOString();
    message.deletion_actor = actor;
    message.text = 'This message was deleted';
    message.attachments = [];
    this.publishRaw(conversationChannel(location), pushData('message.deleted', '', lineOf(message)));
  }

  /** `message.update` on the conversation's channel. */
  editMessage(messageId: string, text: string): void {
    const location = this.#world.locate(messageId);
    location.message.text = text;
    location.message.updated_at = Math.floor(Date.now() / 1000);
    this.publishRaw(conversationChannel(location), pushData('message.update', '', lineOf(location.message)));
  }

  /** `typing` on a group's channel, or a DM thread's when `conversationId` is `a+b`/`a_b`. */
  typing(userId: string, conversationId: string): void {
    this.#world.user(userId);
    const channel = /[+_]/.test(conversationId) ? `/direct_message/${toPushChatId(conversationId)}` : `/group/${conversationId}`;
    this.publishRaw(channel, { type: 'typing', user_id: userId, started: Date.now() });
  }

  /** `read_receipt.create` on the DM thread's channel. */
  readReceipt(userId: string, chatId: string, messageId: string): void {
    this.#world.user(userId);
    const restId = chatId.replace('_', '+');
    const readAt = Math.floor(Date.now() / 1000);
    this.publishRaw(`/direct_message/${toPushChatId(chatId)}`, pushData('read_receipt.create', '', {
      id: this.#world.ids.message(),
      chat_id: restId,
      message_id: messageId,
      user_id: userId,
      read_at: readAt,
    }));
  }

  /** A system message (`sender_id: "system"`) carrying `event`, as `line.create`. */
  systemEvent(groupId: string, event: { type: string; data: unknown }, text: string): MessageJson {
    const group = this.#world.group(groupId);
    const message = groupMessageJson(group, { id: this.#world.ids.message(), guid: randomUUID().replaceAll('-', ''), sender: 'system', text, event });
    this.#world.store({ kind: 'group', group, message });
    const data = pushData('line.create', `GroupMe: ${text}`, message);
    for (const member of this.#world.activeMembers(group)) this.publishRaw(`/user/${member}`, data);
    return message;
  }

  /**
   * Adds a member: `membership.create` on their `/user` channel and a
   * `membership.announce.added` system message in the group.
   */
  addMember(groupId: string, userId: string, adderId: string): void {
    const group = this.#world.group(groupId);
    const user = this.#world.user(userId);
    const adder = this.#world.user(adderId);
    group.memberships.set(user.id, 'active');
    group.updatedAt = Math.floor(Date.now() / 1000);
    this.publishRaw(`/user/${user.id}`, pushData('membership.create', `You've been added to "${group.name}" with ${adder.name}.`, groupSummaryJson(group)));
    this.systemEvent(groupId, {
      type: 'membership.announce.added',
      data: { added_users: [{ id: Number(user.id), nickname: user.name }], adder_user: { id: Number(adder.id), nickname: adder.name } },
    }, `${adder.name} added ${user.name} to the group.`);
  }

  /** `{type: "ping"}` on every channel with a subscriber, now. */
  ping(): void {
    for (const channel of this.#hub?.subscribedChannels() ?? []) this.publishRaw(channel, { type: 'ping' });
  }

  /** Publishes anything, as-is: for malformed-payload tests. */
  publishRaw(channel: string, data: unknown): void {
    this.#hub?.publish(channel, data);
  }

  // ---- faults ----------------------------------------------------------------------

  /** Closes everything and listens again on the same port with the same world. */
  async restart(): Promise<void> {
    this.#shutdown();
    await this.listen();
  }

  /** Destroys every open socket at once; the server stays up. */
  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  /**
   * While on, sockets stay open but nothing is read or sent: a dead link that looks alive.
   * Turning it off destroys the silenced sockets (their streams are beyond repair).
   */
  blackhole(on: boolean): void {
    this.#blackhole = on;
    if (on) for (const socket of this.#sockets) silence(socket);
    else this.dropConnections();
  }

  /** That token now fails REST (401) and subscribes (401); connected clients are not kicked. */
  revokeToken(token: string): void {
    this.#world.revoke(token);
  }

  /** The next matching REST requests answer `status` (with `Retry-After` when given). */
  failNextRest(fault: RestFault): void {
    this.#rest.failNext(fault);
  }

  /** Remote faye clients currently connected. */
  connectedClients(): number {
    return this.#hub?.connectedClients() ?? 0;
  }

  /** Stops everything; afterwards nothing of the server keeps the process alive. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
    const http = this.#http;
    this.#shutdown();
    if (http?.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  #shutdown(): void {
    this.#hub?.close();
    this.#hub = undefined;
    this.#http?.close();
    this.#http = undefined;
    this.dropConnections();
  }

  #publishReaction(location: MessageLocation, reactor: SimUser, reaction: Reaction): void {
    const message = location.message;
    const subject = { line: lineOf(message), reactions: message.reactions, user_id: reactor.id, user_reaction: reaction };
    this.publishRaw(conversationChannel(location), pushData('favorite', '', subject));
    const author = String(message.user_id);
    if (author !== reactor.id && this.#world.users.has(author)) {
      this.publishRaw(`/user/${author}`, pushData('like.create', `${reactor.name} reacted ${reaction.code} to ${String(message.text ?? '')}`, subject));
    }
  }
}

interface Reaction {
  type: string;
  code: string;
  user_ids: string[];
}

function reactionsOf(message: MessageJson): Reaction[] {
  if (!Array.isArray(message.reactions)) message.reactions = [];
  return message.reactions as Reaction[];
}

function conversationChannel(location: MessageLocation): string {
  return location.kind === 'group' ? `/group/${location.group.id}` : `/direct_message/${toPushChatId(location.chat.id)}`;
}

/** Pauses reads and swallows writes: the peer sees an open socket that never speaks. */
function silence(socket: Socket): void {
  socket.pause();
  socket.write = (() => true) as Socket['write'];
}

function seedDemo(server: GroupMeServer): DemoWorld {
  const me = server.addUser({ name: 'You', token: 'demo-token' });
  const ada = server.addUser({ name: 'Ada' });
  const grace = server.addUser({ name: 'Grace' });
  const lin = server.addUser({ name: 'Lin' });
  const climbing = server.addGroup({ name: 'Climbing crew', members: [me.id, ada.id, grace.id] });
  const book = server.addGroup({ name: 'Book club', members: [me.id, grace.id, lin.id] });
  const chat = server.addChat(me.id, ada.id);
  server.post(climbing.id, ada.id, 'Bouldering on Saturday?');
  server.post(climbing.id, grace.id, 'In!');
  server.post(book.id, lin.id, 'Chapter 3 by Thursday, please.');
  server.sendDirectMessage(ada.id, me.id, 'Bring the spare chalk bag?');
  return { me, others: [ada, grace, lin], groups: [climbing, book], chat };
}

/**
 * Starts a GroupMe look-alike on 127.0.0.1: a real faye push server that enforces
 * GroupMe's subscribe auth, and the REST API, seeded as you choose.
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
