import type { Attachment } from './attachments.js';
import type { SystemEvent } from './system-events.js';

/** Who sent a message. GroupMe may add kinds: any other string passes through. */
export type SenderType = 'user' | 'bot' | 'system' | 'service' | (string & {});

interface MessageFields {
  readonly id: string;
  readonly sourceGuid: string | null;
  /** The author's user id; `"system"` for system messages. */
  readonly userId: string;
  /** Usually equal to `userId`; a bot's id for bot posts. */
  readonly senderId: string;
  readonly senderType: SenderType;
  readonly name: string;
  readonly avatarUrl: string | null;
  /** May be null: a message can be only attachments. */
  readonly text: string | null;
  /** `null` only when the payload had no usable timestamp. */
  readonly createdAt: Date | null;
  readonly attachments: readonly Attachment[];
  readonly favoritedBy: readonly string[];
  /** True for messages GroupMe itself posts (joins, renames, pins, polls...). */
  readonly system: boolean;
  /** What happened, for system messages that carry it. */
  readonly event: SystemEvent | null;
  /** The topic (subgroup) message this one belongs to. */
  readonly parentId: string | null;
  readonly pinnedAt: Date | null;
  readonly pinnedBy: string | null;
  readonly updatedAt: Date | null;
  readonly deletedAt: Date | null;
  readonly deletionActor: string | null;
}

/** A message in a group. */
export interface GroupMessage extends MessageFields {
  readonly conversation: 'group';
  readonly groupId: string;
}

/** A direct message. */
export interface DirectMessage extends MessageFields {
  readonly conversation: 'direct_message';
  /** The thread id as REST spells it, `a+b` (smaller id first). */
  readonly chatId: string;
  readonly recipientId: string | null;
}

/** A group message or a DM; `conversation` tells which. */
export type Message = GroupMessage | DirectMessage;

/** One reaction and everyone who chose it. */
export interface Reaction {
  /** `unicode` for emoji reactions; GroupMe also uses `emoji` (a pack) and others. */
  readonly type: string;
  readonly code: string;
  readonly userIds: readonly string[];
}
