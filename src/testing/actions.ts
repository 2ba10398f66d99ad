import type {
  DirectMessageJson,
  GroupMessageJson,
  GroupSummaryJson,
  MessageJson,
  PushMessageJson,
  PushPayload,
  ReactionJson,
  ReactionSubject,
  ReadReceiptSubject,
  SystemEventJson,
  TypingPayload,
} from './json.js';
import {
  changedSubject,
  createdSubject,
  groupSummary,
  newDirectMessage,
  newGroupMessage,
  pushPayload,
  reactionLine,
  restMessage,
  type MessageInput,
} from './payloads.js';
import { dmChannelId, dmThreadId } from './id-order.js';
import { nowSeconds, type MessageLocation, type UserRecord, type World } from './state.js';

/** Options of a post or a direct message. */
export interface PostOptions {
  readonly attachments?: readonly unknown[];
  /** Defaults to the next GUID of a deterministic sequence. */
  readonly sourceGuid?: string;
}

/** What `addMember` produced: the `membership.create` and the system message in the group. */
export interface AddMemberResult {
  readonly membership: PushPayload<GroupSummaryJson>;
  readonly announcement: GroupMessageJson;
}

/**
 * What `editMessage` and `deleteMessage` return: the `message.update` / `message.deleted`
 * published on the conversation's channel, carrying as `notice` the system message
 * (`line.create` or `direct_message.create` with `subject.event`) published on the
 * members' `/user` channels. `notice` is not enumerable, so the value still deep-equals
 * what the conversation's channel received (and JSON or `structuredClone` drop it).
 */
export type MessageChangePayload = PushPayload<PushMessageJson> & { readonly notice: PushPayload<PushMessageJson> };

/** Where payloads go; the push hub in production, anything in a unit test. */
export type Publish = (channel: string, data: unknown) => void;

/**
 * What happens in the world, and the push traffic it causes, channel by channel as GroupMe
 * routes it. Every change is stored first, then published, so REST already shows a
 * message when its push arrives. Each method returns what it stored or published as a
 * copy: faye serialises a publish a microtask later, and a caller editing the returned
 * object in the meantime must not change what subscribers receive.
 */
export class Actions {
  readonly #world: World;
  readonly #publish: Publish;

  constructor(world: World, publish: Publish) {
    this.#world = world;
    this.#publish = publish;
  }

  /** `line.create` on the `/user` channel of every active member, the sender included. */
  post(groupId: string, userId: string, text: string | null, options: PostOptions = {}): GroupMessageJson {
    const world = this.#world;
    const group = world.group(groupId);
    const user = world.user(userId);
    if (!world.isActiveMember(group, user.id)) {
      throw new Error(`User ${user.id} is not an active member of group ${group.id}: GroupMe would refuse the post (403).`);
    }
    const message = newGroupMessage(group, this.#input(user, text, options));
    world.store({ kind: 'group', group, message });
    const data = pushPayload('line.create', `${user.name}: ${text ?? ''}`, createdSubject(message));
    for (const member of world.activeMembers(group)) this.#publish(`/user/${member}`, data);
    return restMessage(message);
  }

  /** `direct_message.create` on both users' `/user` channels, the recipient's first. */
  sendDirectMessage(fromId: string, toId: string, text: string | null, options: PostOptions = {}): DirectMessageJson {
    const world = this.#world;
    const from = world.user(fromId);
    const chat = world.chat(fromId, toId);
    const message = newDirectMessage(chat, toId, this.#input(from, text, options));
    world.store({ kind: 'chat', chat, message });
    const data = pushPayload('direct_message.create', `${from.name}: ${text ?? ''}`, createdSubject(message));
    this.#publish(`/user/${toId}`, data);
    this.#publish(`/user/${fromId}`, data);
    return restMessage(message);
  }

  /**
   * A reaction: `favorite` on the conversation's channel, and `like.create` on the
   * author's `/user` channel when someone else reacted. Returns the `favorite`.
   */
  react(userId: string, messageId: string, code = '❤️'): PushPayload<ReactionSubject> {
    const user = this.#world.user(userId);
    const location = this.#world.locate(messageId);
    const message = location.message;
    let reaction = message.reactions.find((r) => r.code === code);
    if (!reaction) {
      reaction = { type: 'unicode', code, user_ids: [] };
      message.reactions.push(reaction);
    }
    if (!reaction.user_ids.includes(user.id)) reaction.user_ids.push(user.id);
    if (!message.favorited_by.includes(user.id)) message.favorited_by.push(user.id);
    const at = nowSeconds();
    const favorite = this.#reactionPayload('favorite', '', location, user, at);
    this.#publish(conversationChannel(location), favorite);
    if (message.user_id !== user.id && this.#world.hasUser(message.user_id)) {
      const like = this.#reactionPayload('like.create', `${user.name} reacted ${code} to ${message.text ?? 'your message'}`, location, user, at, reaction);
      this.#publish(`/user/${message.user_id}`, like);
    }
    return structuredClone(favorite);
  }

  /** The reaction is taken back: `favorite` again, with the reactions that remain. */
  unreact(userId: string, messageId: string, code = '❤️'): PushPayload<ReactionSubject> {
    const user = this.#world.user(userId);
    const location = this.#world.locate(messageId);
    const message = location.message;
    for (const reaction of message.reactions) {
      if (reaction.code === code) reaction.user_ids = reaction.user_ids.filter((id) => id !== user.id);
    }
    message.reactions = message.reactions.filter((r) => r.user_ids.length > 0);
    if (!message.reactions.some((r) => r.user_ids.includes(user.id))) {
      message.favorited_by = message.favorited_by.filter((id) => id !== user.id);
    }
    const favorite = this.#reactionPayload('favorite', '', location, user, message.favorited_by.length > 0 ? nowSeconds() : null);
    this.#publish(conversationChannel(location), favorite);
    return structuredClone(favorite);
  }

  /**
   * `message.deleted` on the conversation's channel: a tombstone, `deleted_at` an ISO
   * string. Then a system message about it on every member's `/user` channel (see
   * `#notify`): `event: {type: 'message.deleted', data: {message_id, deleted_at, deletion_actor}}`.
   */
  deleteMessage(messageId: string, actor = 'sender'): MessageChangePayload {
    const location = this.#world.locate(messageId);
    const message = location.message;
    const author = message.name;
    const deletedAt = new Date().toISOString();
    message.deleted_at = deletedAt;
    message.deletion_actor = actor;
    message.text = 'This message was deleted';
    message.attachments = [];
    const change = this.#publishChange('message.deleted', location);
    const notice = this.#notify(
      location,
      { type: 'message.deleted', data: { message_id: message.id, deleted_at: deletedAt, deletion_actor: actor } },
      actor === 'sender' ? `${author} deleted a message.` : 'A message was deleted.',
    );
    return withNotice(change, notice);
  }

  /**
   * `message.update` on the conversation's channel, `updated_at` set. Then a system
   * message about it on every member's `/user` channel (see `#notify`): `event: {type:
   * 'message.update', data: {message_id, sender_id, updated_at, message: {text, attachments}}}`.
   */
  editMessage(messageId: string, text: string): MessageChangePayload {
    const location = this.#world.locate(messageId);
    const message = location.message;
    message.text = text;
    message.updated_at = nowSeconds();
    const change = this.#publishChange('message.update', location);
    const notice = this.#notify(
      location,
      {
        type: 'message.update',
        data: {
          message_id: message.id,
          sender_id: message.sender_id,
          updated_at: message.updated_at,
          message: { text: message.text, attachments: structuredClone(message.attachments) },
        },
      },
      `${message.name} edited a message.`,
    );
    return withNotice(change, notice);
  }

  /** `typing` on a group's channel, or a DM thread's when given `a+b` or `a_b`. */
  typing(userId: string, conversationId: string): TypingPayload {
    const user = this.#world.user(userId);
    const channel = /[+_]/.test(conversationId)
      ? `/direct_message/${dmChannelId(this.#world.chatById(conversationId).id)}`
      : `/group/${this.#world.group(conversationId).id}`;
    const data: TypingPayload = { type: 'typing', user_id: user.id, started: Date.now() };
    this.#publish(channel, data);
    return { ...data };
  }

  /** `read_receipt.create` on the DM thread's channel. */
  readReceipt(userId: string, chatId: string, messageId: string): PushPayload<ReadReceiptSubject> {
    const user = this.#world.user(userId);
    const chat = this.#world.chatById(chatId);
    const data = pushPayload<ReadReceiptSubject>('read_receipt.create', '', {
      // The captured receipt's own id equals the message id (test/fixtures/samples/read_receipt.create.1.json).
      id: messageId,
      chat_id: chat.id,
      message_id: messageId,
      user_id: user.id,
      read_at: nowSeconds(),
    });
    this.#publish(`/direct_message/${dmChannelId(chat.id)}`, data);
    return structuredClone(data);
  }

  /** A system message (`sender_id: "system"`, with `event`) as `line.create` to active members. */
  systemEvent(groupId: string, event: SystemEventJson, text: string): GroupMessageJson {
    const world = this.#world;
    const group = world.group(groupId);
    const message = newGroupMessage(group, {
      id: world.ids.message(),
      guid: world.ids.guid(),
      createdAt: nowSeconds(),
      sender: 'system',
      text,
      event,
    });
    world.store({ kind: 'group', group, message });
    const data = pushPayload('line.create', `GroupMe: ${text}`, createdSubject(message));
    for (const member of world.activeMembers(group)) this.#publish(`/user/${member}`, data);
    return restMessage(message);
  }

  /**
   * `membership.create` on the added user's `/user` channel, then a
   * `membership.announce.added` system message in the group (which they now receive too).
   */
  addMember(groupId: string, userId: string, adderId: string): AddMemberResult {
    const world = this.#world;
    const group = world.group(groupId);
    const user = world.user(userId);
    const adder = world.user(adderId);
    world.setMembership(group, user.id, 'active');
    world.touchGroup(group);
    const membership = pushPayload('membership.create', `You've been added to "${group.name}" with ${adder.name}.`, groupSummary(group));
    this.#publish(`/user/${user.id}`, membership);
    const announcement = this.systemEvent(group.id, {
      type: 'membership.announce.added',
      // Inside `event.data`, membership events carry user ids as numbers (see the samples).
      data: { added_users: [{ id: Number(user.id), nickname: user.name }], adder_user: { id: Number(adder.id), nickname: adder.name } },
    }, `${adder.name} added ${user.name} to the group.`);
    return { membership: structuredClone(membership), announcement };
  }

  #input(sender: UserRecord, text: string | null, options: PostOptions): MessageInput {
    return {
      id: this.#world.ids.message(),
      guid: options.sourceGuid ?? this.#world.ids.guid(),
      createdAt: nowSeconds(),
      sender,
      text,
      attachments: options.attachments ?? [],
    };
  }

  #reactionPayload(
    type: string,
    alert: string,
    location: MessageLocation,
    reactor: UserRecord,
    favoritedAt: number | null,
    userReaction?: ReactionJson,
  ): PushPayload<ReactionSubject> {
    const message: MessageJson = location.message;
    const subject: ReactionSubject = {
      line: reactionLine(message, favoritedAt),
      reactions: structuredClone(message.reactions),
      user_id: reactor.id,
      ...(userReaction ? { user_reaction: structuredClone(userReaction) } : {}),
    };
    return pushPayload(type, alert, subject);
  }

  #publishChange(type: string, location: MessageLocation): PushPayload<PushMessageJson> {
    const data = pushPayload(type, '', changedSubject(location.message));
    this.#publish(conversationChannel(location), data);
    return structuredClone(data);
  }

  /**
   * The system message GroupMe sends about an edit or a deletion, on `/user/:id` of every
   * active member of the group (`line.create`, `system: true`) or of both users of the DM
   * (`direct_message.create`; `recipient_id` is the edited message's recipient). It has a
   * fresh message id but is NOT stored: whether GroupMe keeps these in the history is not
   * known, and a client must not depend on either answer.
   */
  #notify(location: MessageLocation, event: SystemEventJson, text: string): PushPayload<PushMessageJson> {
    const input: MessageInput = { id: this.#world.ids.message(), guid: this.#world.ids.guid(), createdAt: nowSeconds(), sender: 'system', text, event };
    const alert = `GroupMe: ${text}`;
    if (location.kind === 'group') {
      const data = pushPayload('line.create', alert, createdSubject(newGroupMessage(location.group, input)));
      for (const member of this.#world.activeMembers(location.group)) this.#publish(`/user/${member}`, data);
      return structuredClone(data);
    }
    const recipient = location.message.recipient_id;
    const data = pushPayload('direct_message.create', alert, createdSubject(newDirectMessage(location.chat, recipient, input)));
    for (const userId of location.chat.userIds) this.#publish(`/user/${userId}`, data);
    return structuredClone(data);
  }
}

function withNotice(change: PushPayload<PushMessageJson>, notice: PushPayload<PushMessageJson>): MessageChangePayload {
  return Object.defineProperty(change, 'notice', { value: notice, enumerable: false }) as MessageChangePayload;
}

/** `/group/:id`, or `/direct_message/lo_hi`: where reactions, edits and deletions go. */
export function conversationChannel(location: MessageLocation): string {
  if (location.kind === 'group') return `/group/${location.group.id}`;
  const [lo, hi] = location.chat.userIds;
  return `/direct_message/${dmChannelId(dmThreadId(lo, hi))}`;
}
