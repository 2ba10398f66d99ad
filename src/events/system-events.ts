import type { Attachment } from './attachments.js';

/**
 * What a system message is about (`subject.event`). Inside `event.data`, GroupMe sends
 * user ids as numbers in `membership.*` and `group.*` events and as strings elsewhere;
 * here every id is a string. Any type not listed arrives as `{ type: 'unknown' }` with
 * the original type and data kept.
 *
 * A known event has two views of its data: `data`, typed (camelCase names, ids as strings,
 * times as `Date`), and `rawData`, the very `event.data` object GroupMe sent. `data` holds
 * every field the type is known to carry; `rawData` also holds whatever GroupMe adds that
 * this version does not know yet, so nothing the payload says is ever out of reach.
 *
 * Types seen in the wild but never captured whole (`membership.nickname_changed`,
 * `group.theme_change`, `poll.reminder`...) are typed after other clients' readings, with
 * every field nullable: a missing field is null, never a reason to give up on the type.
 */
export type SystemEvent =
  | MembershipAnnounceAddedEvent
  | MembershipAnnounceJoinedEvent
  | MembershipAnnounceRejoinedEvent
  | MembershipNotificationsRemovedEvent
  | MembershipNotificationsExitedEvent
  | MembershipNotificationsAutokickedEvent
  | MembershipNicknameChangedEvent
  | MembershipAvatarChangedEvent
  | GroupNameChangeEvent
  | GroupTopicChangeEvent
  | GroupAvatarChangeEvent
  | GroupRoleChangeAdminEvent
  | GroupUserOnlyEvent
  | GroupSharedEvent
  | GroupLikeIconSetEvent
  | GroupThemeChangeEvent
  | GroupTypeChangeEvent
  | GroupAddedToDirectoryEvent
  | GroupOfficeModeEvent
  | GroupSubgroupChangeEvent
  | GroupCallEndedEvent
  | BotAddEvent
  | BotDelEvent
  | BotRenameEvent
  | MessagePinnedEvent
  | MessageDeletedSystemEvent
  | MessageUpdateSystemEvent
  | PollCreatedEvent
  | PollFinishedEvent
  | PollReminderEvent
  | CalendarEventEvent
  | CalendarEventUpdatedEvent
  | CalendarEventUserUndecidedEvent
  | CalendarEventStartingEvent
  | CopilotPrivacyNoticeEvent
  | UnknownSystemEvent;

/** A JSON object as GroupMe sent it, by reference: read it, do not change it. */
export type JsonObject = { readonly [key: string]: unknown };

/** What every known system event carries besides its `type` and typed `data`. */
export interface SystemEventBase {
  /**
   * The event's `data` exactly as GroupMe sent it (the same object, not a copy): every
   * field, including any this version does not type.
   */
  readonly rawData: JsonObject;
}

/** A person as system events name them. */
export interface UserRef {
  readonly id: string;
  readonly nickname: string;
}

/** Someone added members to the group. */
export interface MembershipAnnounceAddedEvent extends SystemEventBase {
  readonly type: 'membership.announce.added';
  readonly data: { readonly addedUsers: readonly UserRef[]; readonly adderUser: UserRef | null };
}
/** Someone joined the group. */
export interface MembershipAnnounceJoinedEvent extends SystemEventBase {
  readonly type: 'membership.announce.joined';
  readonly data: { readonly user: UserRef | null };
}
/** Someone came back to the group. */
export interface MembershipAnnounceRejoinedEvent extends SystemEventBase {
  readonly type: 'membership.announce.rejoined';
  readonly data: { readonly user: UserRef | null };
}
/** Someone removed a member. */
export interface MembershipNotificationsRemovedEvent extends SystemEventBase {
  readonly type: 'membership.notifications.removed';
  readonly data: { readonly removerUser: UserRef | null; readonly removedUser: UserRef | null };
}
/** A member left the group. */
export interface MembershipNotificationsExitedEvent extends SystemEventBase {
  readonly type: 'membership.notifications.exited';
  readonly data: { readonly removedUser: UserRef | null };
}
/** A member changed their nickname in the group. */
export interface MembershipNicknameChangedEvent extends SystemEventBase {
  readonly type: 'membership.nickname_changed';
  /** `user` carries the nickname before the change; `name` is the new one. */
  readonly data: { readonly user: UserRef | null; readonly name: string | null };
}
/** A member changed their picture in the group (an old event: GroupMe no longer sends it). */
export interface MembershipAvatarChangedEvent extends SystemEventBase {
  readonly type: 'membership.avatar_changed';
  readonly data: { readonly user: UserRef | null; readonly avatarUrl: string | null };
}
/** A member added by phone number (SMS) was removed automatically. */
export interface MembershipNotificationsAutokickedEvent extends SystemEventBase {
  readonly type: 'membership.notifications.autokicked';
  readonly data: { readonly user: UserRef | null };
}
/** The group was renamed. */
export interface GroupNameChangeEvent extends SystemEventBase {
  readonly type: 'group.name_change';
  readonly data: { readonly user: UserRef | null; readonly name: string };
}
/** The group's topic (description) changed. */
export interface GroupTopicChangeEvent extends SystemEventBase {
  readonly type: 'group.topic_change';
  readonly data: { readonly user: UserRef | null; readonly topic: string };
}
/** The group's picture changed. */
export interface GroupAvatarChangeEvent extends SystemEventBase {
  readonly type: 'group.avatar_change';
  readonly data: { readonly user: UserRef | null; readonly avatarUrl: string | null };
}
/** A member's role changed (made admin, for example). */
export interface GroupRoleChangeAdminEvent extends SystemEventBase {
  readonly type: 'group.role_change_admin';
  readonly data: { readonly user: UserRef | null; readonly member: UserRef | null; readonly role: string };
}
/** Group settings changes that name only who made them. */
export interface GroupUserOnlyEvent extends SystemEventBase {
  readonly type:
    | 'group.like_icon_removed'
    | 'group.requires_approval_disabled'
    | 'group.requires_approval_enabled'
    | 'group.unshared'
    | 'group.visibility_set.hidden'
    | 'group.visibility_set.visible';
  readonly data: { readonly user: UserRef | null };
}
/** The group's join link was turned on. */
export interface GroupSharedEvent extends SystemEventBase {
  readonly type: 'group.shared';
  readonly data: { readonly user: UserRef | null; readonly shareUrl: string | null; readonly shareQrCodeUrl: string | null };
}
/** An emoji from a GroupMe emoji pack, as a group's like icon. */
export interface LikeIcon {
  /** `emoji` so far. */
  readonly type: string | null;
  readonly packId: number | null;
  readonly packIndex: number | null;
}
/** The group's like icon (the reaction a double tap gives) was set. */
export interface GroupLikeIconSetEvent extends SystemEventBase {
  readonly type: 'group.like_icon_set';
  readonly data: { readonly user: UserRef | null; readonly likeIcon: LikeIcon | null };
}
/** The group's colour theme changed. */
export interface GroupThemeChangeEvent extends SystemEventBase {
  readonly type: 'group.theme_change';
  readonly data: { readonly user: UserRef | null; readonly themeName: string | null };
}
/** The group's type changed. */
export interface GroupTypeChangeEvent extends SystemEventBase {
  readonly type: 'group.type_change';
  readonly data: {
    readonly user: UserRef | null;
    /** The new type (`data.type`): `closed`, `private`, `announcement`... */
    readonly groupType: string | null;
    /** How long messages stay editable under the new type, when GroupMe says. */
    readonly messageEditPeriod: number | null;
  };
}
/** The group was listed in a (campus) directory. */
export interface GroupAddedToDirectoryEvent extends SystemEventBase {
  readonly type: 'group.added_to_directory';
  readonly data: { readonly user: UserRef | null; readonly directoryName: string | null };
}
/**
 * Office mode was turned on or off (`group.office_mode_enabled`, `group.office_mode_disabled`):
 * a family whose exact type string is kept, whatever its suffix.
 */
export interface GroupOfficeModeEvent extends SystemEventBase {
  readonly type: `group.office_mode_${string}`;
  readonly data: { readonly user: UserRef | null };
}
/** Changes to a topic (subgroup) of a group. */
export interface GroupSubgroupChangeEvent extends SystemEventBase {
  readonly type:
    | 'group.subgroup_name_change'
    | 'group.subgroup_description_change'
    | 'group.subgroup_avatar_change'
    | 'group.subgroup_type_change';
  readonly data: {
    readonly user: UserRef | null;
    readonly subgroupTopic: string | null;
    /** The topic's id. */
    readonly parentId: string | null;
    readonly subgroupDescription: string | null;
    readonly subgroupAvatarUrl: string | null;
    /** For `group.subgroup_type_change`: the new type, such as `closed`. */
    readonly subgroupType: string | null;
    readonly messageEditPeriod: number | null;
  };
}
/** A group call ended. */
export interface GroupCallEndedEvent extends SystemEventBase {
  readonly type: 'group.call.ended';
  readonly data: { readonly user: UserRef | null; readonly callDuration: number | null };
}
/** A bot was added to the group. */
export interface BotAddEvent extends SystemEventBase {
  readonly type: 'bot.add';
  readonly data: { readonly user: UserRef | null; readonly bot: string };
}
/** A bot was removed from the group. */
export interface BotDelEvent extends SystemEventBase {
  readonly type: 'bot.del';
  readonly data: { readonly user: UserRef | null; readonly bot: string | null };
}
/** A bot was renamed. */
export interface BotRenameEvent extends SystemEventBase {
  readonly type: 'bot.rename';
  readonly data: { readonly user: UserRef | null; readonly botNameOld: string; readonly botNameNew: string };
}
/** A message was pinned or unpinned. */
export interface MessagePinnedEvent extends SystemEventBase {
  readonly type: 'message.pinned' | 'message.unpinned';
  readonly data: {
    readonly messageId: string;
    readonly pinned: boolean;
    readonly pinnedBy: string | null;
    readonly pinnedAt: Date | null;
  };
}
/**
 * A message was deleted: how `/user` hears of deletions (a system `line.create` or
 * `direct_message.create`). `/group` and `/direct_message` carry a `message.deleted` push
 * event instead.
 */
export interface MessageDeletedSystemEvent extends SystemEventBase {
  readonly type: 'message.deleted';
  readonly data: {
    readonly messageId: string;
    /** Sent as an ISO-8601 string (seconds in older payloads); both are read. */
    readonly deletedAt: Date | null;
    /** Who deleted it, as GroupMe says: `sender`, `admin`, `system`... */
    readonly deletionActor: string | null;
    /** The user who deleted it, when GroupMe says (reported to be the author even for `system`). */
    readonly deleterId: string | null;
  };
}
/** A message's new text and attachments, as an edit carries them. */
export interface MessageEdit {
  readonly text: string | null;
  readonly attachments: readonly Attachment[];
}
/**
 * A message was edited: how `/user` hears of edits (a system `line.create` or
 * `direct_message.create`). `/group` and `/direct_message` carry a `message.update` push
 * event instead.
 */
export interface MessageUpdateSystemEvent extends SystemEventBase {
  readonly type: 'message.update';
  readonly data: {
    readonly messageId: string;
    /** The author of the edited message. */
    readonly senderId: string | null;
    readonly updatedAt: Date | null;
    /** The message as edited; null when the event did not carry it. */
    readonly message: MessageEdit | null;
  };
}
/** A poll as system events name it. */
export interface PollRef {
  readonly id: string;
  readonly subject: string;
  /** When the poll closes (`expiration`), when the event says: `poll.reminder` does. */
  readonly expiresAt: Date | null;
}
/** One option of a finished poll, with its votes. */
export interface PollOption {
  readonly id: string;
  readonly title: string;
  readonly votes: number;
  readonly voterIds: readonly string[];
}
/** A poll was started. */
export interface PollCreatedEvent extends SystemEventBase {
  readonly type: 'poll.created';
  readonly data: { readonly user: UserRef | null; readonly poll: PollRef; readonly conversationId: string | null };
}
/** A poll closed; `options` carry the results. */
export interface PollFinishedEvent extends SystemEventBase {
  readonly type: 'poll.finished';
  readonly data: {
    readonly poll: PollRef;
    readonly conversationId: string | null;
    readonly options: readonly PollOption[];
  };
}
/** A poll is about to close. */
export interface PollReminderEvent extends SystemEventBase {
  readonly type: 'poll.reminder';
  /** `poll.expiresAt` says when it closes. */
  readonly data: { readonly poll: PollRef | null; readonly conversationId: string | null };
}
/** A calendar event as system events name it. */
export interface CalendarEventRef {
  readonly id: string;
  readonly name: string;
}
/** Calendar events that name the event and the person. */
export interface CalendarEventEvent extends SystemEventBase {
  readonly type:
    | 'calendar.event.created'
    | 'calendar.event.cancelled'
    | 'calendar.event.user.going'
    | 'calendar.event.user.not_going';
  readonly data: { readonly event: CalendarEventRef; readonly user: UserRef | null; readonly url: string | null };
}
/** A calendar event was edited; `updatedFields` says which fields. */
export interface CalendarEventUpdatedEvent extends SystemEventBase {
  readonly type: 'calendar.event.updated';
  readonly data: {
    readonly event: CalendarEventRef;
    readonly user: UserRef | null;
    readonly updatedFields: readonly string[];
  };
}
/** Someone took back their RSVP to a calendar event. */
export interface CalendarEventUserUndecidedEvent extends SystemEventBase {
  readonly type: 'calendar.event.user.undecided';
  readonly data: { readonly event: CalendarEventRef | null; readonly user: UserRef | null };
}
/** A calendar event starts now or soon; it names the event only by its name. */
export interface CalendarEventStartingEvent extends SystemEventBase {
  readonly type: 'calendar.event.starting';
  readonly data: {
    readonly eventName: string | null;
    /** Minutes until it starts (0: now); GroupMe sends them as a string. */
    readonly minutes: number | null;
    /** Whether a call was started for it. */
    readonly callStarted: boolean | null;
  };
}
/** GroupMe's assistant posted its privacy notice. */
export interface CopilotPrivacyNoticeEvent extends SystemEventBase {
  readonly type: 'copilot.group.privacy_notice';
  readonly data: { readonly triggerMessageId: string | null };
}
/** A system event this version does not know, or a known one whose data was unusable. */
export interface UnknownSystemEvent {
  readonly type: 'unknown';
  /** The event's own `type`, when it had a string one. */
  readonly originalType: string | null;
  /** The event's `data` exactly as GroupMe sent it (the same object), whatever it was. */
  readonly data: unknown;
}
