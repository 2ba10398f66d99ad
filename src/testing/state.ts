import { dmThreadId } from './id-order.js';
import { IdSource } from './ids.js';
import type { DirectMessageJson, GroupMessageJson, MembershipState } from './json.js';
import { addToSetIndex } from './set-index.js';

/** A person in the simulated world. `token` is their GroupMe access token. */
export interface SimUser {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly avatarUrl: string | null;
}

/** A group in the simulated world. */
export interface SimGroup {
  readonly id: string;
  readonly name: string;
}

/** A DM thread. `id` is `lo+hi` as REST spells it (ids compared as numbers). */
export interface SimChat {
  readonly id: string;
  readonly userIds: readonly [string, string];
}

/** How to create a user. */
export interface AddUserOptions {
  /** Default: the next id of a deterministic sequence. */
  readonly id?: string;
  readonly name: string;
  /** Default: a 40-hex-digit token derived from the id. */
  readonly token?: string;
  readonly avatarUrl?: string | null;
}

/** How to create a group. The first member is its creator. */
export interface AddGroupOptions {
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly members: readonly string[];
  /** Membership states by user id; members not listed are `active`. */
  readonly states?: Readonly<Record<string, MembershipState>>;
}

export interface UserRecord extends SimUser {
  readonly createdAt: number;
}

export interface Membership {
  /** A membership id is not a user id: GroupMe gives each membership its own. */
  readonly id: string;
  state: MembershipState;
}

export interface GroupRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly creatorId: string;
  readonly createdAt: number;
  readonly shareToken: string;
  updatedAt: number;
  /** Orders conversations by their latest activity, finer than the seconds of `updatedAt`. */
  activity: number;
  readonly memberships: Map<string, Membership>;
  /** Oldest first; ids increase, so this is also sorted by id. */
  readonly messages: GroupMessageJson[];
}

export interface ChatRecord {
  readonly id: string;
  readonly userIds: readonly [string, string];
  readonly createdAt: number;
  updatedAt: number;
  activity: number;
  /** Oldest first, sorted by id. */
  readonly messages: DirectMessageJson[];
}

export type MessageLocation =
  | { readonly kind: 'group'; readonly group: GroupRecord; readonly message: GroupMessageJson }
  | { readonly kind: 'chat'; readonly chat: ChatRecord; readonly message: DirectMessageJson };

/**
 * The simulated GroupMe, in memory: users and their tokens, groups and memberships, DM
 * threads, and every message. Indexed per user so that a world of thousands of
 * conversations is built and served quickly. It publishes nothing: see `actions.ts`.
 */
export class World {
  readonly ids = new IdSource();
  readonly #users = new Map<string, UserRecord>();
  readonly #byToken = new Map<string, UserRecord>();
  readonly #revoked = new Set<string>();
  readonly #groups = new Map<string, GroupRecord>();
  readonly #chats = new Map<string, ChatRecord>();
  readonly #groupsOf = new Map<string, Set<GroupRecord>>();
  readonly #chatsOf = new Map<string, Set<ChatRecord>>();
  readonly #messages = new Map<string, MessageLocation>();
  #activity = 0;

  // ---- users ----------------------------------------------------------------------

  addUser(options: AddUserOptions): UserRecord {
    let id = options.id;
    if (id === undefined) {
      do id = this.ids.user();
      while (this.#users.has(id));
    }
    if (this.#users.has(id)) throw new Error(`A user with id ${id} already exists.`);
    const token = options.token ?? this.ids.token(id);
    if (this.#byToken.has(token)) throw new Error(`Another user already has the token ${token}.`);
    const user: UserRecord = { id, name: options.name, token, avatarUrl: options.avatarUrl ?? null, createdAt: nowSeconds() };
    this.#users.set(id, user);
    this.#byToken.set(token, user);
    return user;
  }

  user(id: string): UserRecord {
    const user = this.#users.get(id);
    if (!user) throw new Error(`No user with id ${id}.`);
    return user;
  }

  hasUser(id: string): boolean {
    return this.#users.has(id);
  }

  /** The user a token belongs to, unless it is unknown or revoked. */
  userByToken(token: unknown): UserRecord | undefined {
    if (typeof token !== 'string' || this.#revoked.has(token)) return undefined;
    return this.#byToken.get(token);
  }

  revoke(token: string): void {
    this.#revoked.add(token);
  }

  // ---- groups ---------------------------------------------------------------------

  addGroup(options: AddGroupOptions): GroupRecord {
    let id = options.id;
    if (id === undefined) {
      do id = this.ids.group();
      while (this.#groups.has(id));
    }
    if (this.#groups.has(id)) throw new Error(`A group with id ${id} already exists.`);
    for (const member of options.members) this.user(member);
    const now = nowSeconds();
    const group: GroupRecord = {
      id,
      name: options.name,
      description: options.description ?? '',
      creatorId: options.members[0] ?? '',
      createdAt: now,
      updatedAt: now,
      activity: ++this.#activity,
      shareToken: this.ids.shareToken(id),
      memberships: new Map(),
      messages: [],
    };
    this.#groups.set(id, group);
    for (const member of options.members) this.setMembership(group, member, options.states?.[member] ?? 'active');
    return group;
  }

  group(id: string): GroupRecord {
    return this.findGroup(id) ?? missing(`No group with id ${id}.`);
  }

  findGroup(id: string): GroupRecord | undefined {
    return this.#groups.get(id);
  }

  /** Creates the membership when there is none yet (its state then counts from now). */
  setMembership(group: GroupRecord, userId: string, state: MembershipState): void {
    this.user(userId);
    const membership = group.memberships.get(userId);
    if (membership) {
      membership.state = state;
      return;
    }
    group.memberships.set(userId, { id: this.ids.membership(), state });
    addToSetIndex(this.#groupsOf, userId, group);
  }

  /** Every group the user has a membership in, whatever its state. */
  groupsOf(userId: string): GroupRecord[] {
    return [...(this.#groupsOf.get(userId) ?? [])];
  }

  isActiveMember(group: GroupRecord, userId: string): boolean {
    return group.memberships.get(userId)?.state === 'active';
  }

  activeMembers(group: GroupRecord): string[] {
    const ids: string[] = [];
    for (const [userId, membership] of group.memberships) if (membership.state === 'active') ids.push(userId);
    return ids;
  }

  // ---- DM threads -----------------------------------------------------------------

  /** The thread between two users, created on first use as GroupMe does. */
  chat(userA: string, userB: string): ChatRecord {
    this.user(userA);
    this.user(userB);
    if (userA === userB) throw new Error('A DM thread needs two different users.');
    const id = dmThreadId(userA, userB);
    let chat = this.#chats.get(id);
    if (chat) return chat;
    const [lo, hi] = id.split('+') as [string, string];
    const now = nowSeconds();
    chat = { id, userIds: [lo, hi], createdAt: now, updatedAt: now, activity: ++this.#activity, messages: [] };
    this.#chats.set(id, chat);
    for (const userId of chat.userIds) addToSetIndex(this.#chatsOf, userId, chat);
    return chat;
  }

  /** The thread between two users if it exists; reading never creates one. */
  findChat(userA: string, userB: string): ChatRecord | undefined {
    return this.#chats.get(dmThreadId(userA, userB));
  }

  /** A thread by its id in either spelling (`a+b` or `a_b`, either order). */
  chatById(chatId: string): ChatRecord {
    const [a, b, ...rest] = chatId.split(/[+_]/);
    if (!a || !b || rest.length > 0) throw new Error(`Not a DM thread id: ${chatId}.`);
    return this.chat(a, b);
  }

  chatsOf(userId: string): ChatRecord[] {
    return [...(this.#chatsOf.get(userId) ?? [])];
  }

  // ---- messages -------------------------------------------------------------------

  store(location: MessageLocation): void {
    if (location.kind === 'group') {
      location.group.messages.push(location.message);
      this.#touch(location.group, location.message.created_at);
    } else {
      location.chat.messages.push(location.message);
      this.#touch(location.chat, location.message.created_at);
    }
    this.#messages.set(location.message.id, location);
  }

  locate(messageId: string): MessageLocation {
    return this.findMessage(messageId) ?? missing(`No message with id ${messageId}.`);
  }

  findMessage(messageId: string): MessageLocation | undefined {
    return this.#messages.get(messageId);
  }

  /** Marks a conversation as the most recently active one. */
  touchGroup(group: GroupRecord): void {
    this.#touch(group, nowSeconds());
  }

  #touch(conversation: GroupRecord | ChatRecord, at: number): void {
    conversation.updatedAt = Math.max(conversation.updatedAt, at);
    conversation.activity = ++this.#activity;
  }
}

function missing(message: string): never {
  throw new Error(message);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
