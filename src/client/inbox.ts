import { directMessageChannel, groupChannel, type PushChannel } from '../events/channel.js';
import { parsePushMessage } from '../events/parse.js';
import type { MessageSink } from '../transport/faye-extension.js';
import type { Delivery } from './delivery.js';

/**
 * Where the transport hands each frame's data: parsed into a typed event and pushed to
 * delivery, the one way events flow. With `subscribeAll`, a live message or membership
 * also reveals a conversation whose channel the client should hold (`reveal`).
 *
 * An object with a method rather than a closure over the client: the transport calls it
 * for every message, and with thousands of clients in a process each function object and
 * context an event passes through is one more cold load that the next one waits on
 * (issue #13's pool bench, `chained` calibration).
 */
export class Inbox implements MessageSink {
  readonly #delivery: Delivery;
  readonly #reveal: ((channel: PushChannel) => void) | undefined;

  constructor(delivery: Delivery, reveal: ((channel: PushChannel) => void) | undefined) {
    this.#delivery = delivery;
    this.#reveal = reveal;
  }

  receive(channel: PushChannel, data: unknown): void {
    const event = parsePushMessage(channel, data);
    const reveal = this.#reveal;
    if (reveal) {
      if (event.type === 'membership.create') reveal(groupChannel(event.group.id));
      else if (event.type === 'line.create') reveal(groupChannel(event.message.groupId));
      else if (event.type === 'direct_message.create') reveal(directMessageChannel(event.message.chatId));
    }
    this.#delivery.pushLive(event);
  }
}
