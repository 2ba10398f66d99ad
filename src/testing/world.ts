import { chatIdFor, compareIds } from '../events/channel.js';
import { IdSource } from './ids.js';

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

/** A DM thread; `id` is `lo+hi` as REST spells it. */
export interface SimChat {
  readonly id: string;
  readonly userIds: readonly [string, string];
}

/** A message as GroupMe's JSON spells it (snake_case), mutable so reactions and edits apply. */
export type MessageJson = Record<string, unknown> & { id: string; created_at: number };

export interface GroupRecord {
  readonly id: string;
  name: string;
  readonly creatorId: string;
  readonly createdAt: number;
  updatedAt: number;
  readonly shareToken: string;
  /** userId → membership state (`active`, `exited`, `removed`, `pending`...). */
  readonly memberships: Map<string, string>;
  /** Oldest first. */
  readonly messages: MessageJson[];
}

export interface ChatRecord {
  readonly id: string;
  readonly userIds: readonly [string, string];
  readonly createdAt: number;
  readonly messages: MessageJson[];
}

export type MessageLocation =
  | { readonly kind: 'group'; readonly group: GroupRecord; readonly message: MessageJson }
  | { readonly kind: 'chat'; readonly chat: ChatRecord; readonly message: MessageJson };

/** The simulated GroupMe: users, groups, DM threads and their history, in memory. */
export class World {
  readonly ids = new IdSource();
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, GroupRecord>();
  readonly chats = new Map<string, ChatRecord>();
  readonly #byToken = new Map<string, SimUser>();
  readonly #revoked = new Set<string>();
  readonly #messages = new Map<string, MessageLocation>();

  addUser(options: { id?: string; name: string; token?: string; avatarUrl?: string | null }): SimUser {
    const user: SimUser = {
      id: options.id ?? this.ids.user(),
      name: options.name,
      token: options.token ?? this.ids.token(),
      avatarUrl: options.avatarUrl ?? null,
    };
    if (this.users.has(user.id)) throw new Error(`A user with id ${user.id} already exists.`);
    this.users.set(user.id, user);
    this.#byToken.set(user.token, user);
    return user;
  }

  /** The user a token belongs to, unless it was revoked. */
  userByToken(token: unknown): SimUser | undefined {
    if (typeof token !== 'string' || this.#revoked.has(token)) return undefined;
    return this.#byToken.get(token);
  }

  revoke(token: string): void {
    this.#revoked.add(token);
  }

  user(id: string): SimUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`No user with id ${id}.`);
    return user;
  }

  addGroup(options: { id?: string; name: string; members: readonly string[]; states?: Record<string, string> }): GroupRecord {
    const now = nowSeconds();
    const creatorId = options.members[0] ?? '';
    const group: GroupRecord = {
      id: options.id ?? this.ids.group(),
      name: options.name,
      creatorId,
      createdAt: now,
      updatedAt: now,
      shareToken: this.ids.token().slice(0, 8),
      memberships: new Map(),
      messages: [],
    };
    if (this.groups.has(group.id)) throw new Error(`A group with id ${group.id} already exists.`);
    for (const member of options.members) {
      this.user(member);
      group.memberships.set(member, options.states?.[member] ?? 'active');
    }
    this.groups.set(group.id, group);
    return group;
  }

  group(id: string): GroupRecord {
    const group = this.groups.get(id);
    if (!group) throw new Error(`No group with id ${id}.`);
    return group;
  }

  isActiveMember(groupId: string, userId: string): boolean {
    return this.groups.get(groupId)?.memberships.get(userId) === 'active';
  }

  activeMembers(group: GroupRecord): string[] {
    return [...group.memberships].filter(([, state]) => state === 'active').map(([id]) => id);
  }

  chat(userA: string, userB: string): ChatRecord {
    this.user(userA);
    this.user(userB);
    const id = chatIdFor(userA, userB);
    let chat = this.chats.get(id);
    if (!chat) {
      const [lo, hi] = id.split('+') as [string, string];
      chat = { id, userIds: [lo, hi], createdAt: nowSeconds(), messages: [] };
      this.chats.set(id, chat);
    }
    return chat;
  }

  /** Every DM thread a user is in. */
  chatsOf(userId: string): ChatRecord[] {
    return [...this.chats.values()].filter((chat) => chat.userIds.includes(userId));
  }

  store(location: MessageLocation): void {
    const list = location.kind === 'group' ? location.group.messages : location.chat.messages;
    list.push(location.message);
    this.#messages.set(location.message.id, location);
    if (location.kind === 'group') location.group.updatedAt = location.message.created_at;
  }

  locate(messageId: string): MessageLocation {
    const location = this.#messages.get(String(messageId));
    if (!location) throw new Error(`No message with id ${messageId}.`);
    return location;
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * GroupMe's history query over an oldest-first list: `after_id` gives the messages right
 * after the id, oldest first; `before_id` (and no id) the newest ones before it, newest
 * first; `since_id` the newest ones after it, newest first (which may skip a gap).
 */
export function queryMessages(
  messages: readonly MessageJson[],
  query: { after_id?: string; before_id?: string; since_id?: string; limit: number },
): MessageJson[] {
  const { limit } = query;
  if (query.after_id !== undefined) {
    const after = query.after_id;
    return messages.filter((m) => compareIds(m.id, after) > 0).slice(0, limit);
  }
  if (query.since_id !== undefined) {
    const since = query.since_id;
    return messages.filter((m) => compareIds(m.id, since) > 0).slice(-limit).reverse();
  }
  const before = query.before_id;
  const older = before === undefined ? messages : messages.filter((m) => compareIds(m.id, before) < 0);
  return older.slice(-limit).reverse();
}
