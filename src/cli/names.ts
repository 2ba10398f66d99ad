import { toPushChatId } from '../events/channel.js';
import type { PushEvent } from '../events/types.js';
import type { GroupMeApi } from '../rest/groupme-api.js';
import type { NameBook } from './format-event.js';

/**
 * Names for the readable output of `listen`: conversations from `/groups` and `/chats`
 * (loaded once, in the background), people from the messages that go by. Until a name is
 * known, the id stands in.
 */
export class LearnedNames implements NameBook {
  readonly #conversations = new Map<string, string>();
  readonly #people = new Map<string, string>();

  /** Best effort: a failure only means ids instead of names. */
  async load(api: GroupMeApi): Promise<void> {
    const [groups, chats] = await Promise.allSettled([api.groups(), api.chats()]);
    if (groups.status === 'fulfilled') for (const g of groups.value) this.#conversations.set(g.id, `#${g.name}`);
    if (chats.status === 'fulfilled') {
      for (const c of chats.value) {
        this.#conversations.set(toPushChatId(c.chatId), `DM ${c.otherUser.name}`);
        this.#people.set(c.otherUser.id, c.otherUser.name);
      }
    }
  }

  /** Remembers what an event tells about names. */
  learn(event: PushEvent): void {
    if (event.type === 'line.create' || event.type === 'direct_message.create' || event.type === 'message.update') {
      if (!event.message.system) this.#people.set(event.message.userId, event.message.name);
    }
    if (event.type === 'membership.create') this.#conversations.set(event.group.id, `#${event.group.name}`);
  }

  conversation(event: PushEvent): string {
    const id =
      event.type === 'line.create' ? event.message.groupId
      : event.type === 'direct_message.create' ? toPushChatId(event.message.chatId)
      : event.channel.kind === 'user' ? null
      : event.channel.kind === 'direct_message' ? toPushChatId(event.channel.id)
      : event.channel.id;
    if (id === null) return 'you';
    return this.#conversations.get(id) ?? id;
  }

  user(userId: string): string {
    return this.#people.get(userId) ?? userId;
  }
}
