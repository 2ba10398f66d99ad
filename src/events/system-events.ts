/**
 * What a system message is about (`subject.event`). Inside `event.data`, GroupMe sends
 * user ids as numbers in `membership.*` and `group.*` events and as strings elsewhere;
 * here every id is a string. Any type not listed arrives as `{ type: 'unknown' }` with
 * the original type and data kept.
 */
export type SystemEvent =
  | MembershipAnnounceAddedEvent
  | MembershipAnnounceJoinedEvent
  | MembershipAnnounceRejoinedEvent
  | MembershipNotificationsRemovedEvent
  | MembershipNotificationsExitedEvent
  | GroupNameChangeEvent
  | GroupTopicChangeEvent
  | GroupAvatarChangeEvent
  | GroupRoleChangeAdminEvent
  | GroupUserOnlyEvent
  | GroupSubgroupChangeEvent
  | GroupCallEndedEvent
  | BotAddEvent
  | BotRenameEvent
  | MessagePinnedEvent
  | PollCreatedEvent
  | PollFinishedEvent
  | CalendarEventEvent
  | CalendarEventUpdatedEvent
  | CopilotPrivacyNoticeEvent
  | UnknownSystemEvent;

/** A person as system events name them. */
export interface UserRef {
  readonly id: string;
  readonly nickname: string;
}

/** Someone added members to the group. */
export interface MembershipAnnounceAddedEvent {
  readonly type: 'membership.announce.added';
  readonly data: { readonly addedUsers: readonly UserRef[]; readonly adderUser: UserRef | null };
}
/** Someone joined the group. */
export interface MembershipAnnounceJoinedEvent {
  readonly type: 'membership.announce.joined';
  readonly data: { readonly user: UserRef | null };
}
/** Someone came back to the group. */
export interface MembershipAnnounceRejoinedEvent {
  readonly type: 'membership.announce.rejoined';
  readonly data: { readonly user: UserRef | null };
}
/** Someone removed a member. */
export interface MembershipNotificationsRemovedEvent {
  readonly type: 'membership.notifications.removed';
  readonly data: { readonly removerUser: UserRef | null; readonly removedUser: UserRef | null };
}
/** A member left the group. */
export interface MembershipNotificationsExitedEvent {
  readonly type: 'membership.notifications.exited';
  readonly data: { readonly removedUser: UserRef | null };
}
/** The group was renamed. */
export interface GroupNameChangeEvent {
  readonly type: 'group.name_change';
  readonly data: { readonly user: UserRef | null; readonly name: string };
}
/** The group's topic (description) changed. */
export interface GroupTopicChangeEvent {
  readonly type: 'group.topic_change';
  readonly data: { readonly user: UserRef | null; readonly topic: string };
}
/** The group's picture changed. */
export interface GroupAvatarChangeEvent {
  readonly type: 'group.avatar_change';
  readonly data: { readonly user: UserRef | null; readonly avatarUrl: string | null };
}
/** A member's role changed (made admin, for example). */
export interface GroupRoleChangeAdminEvent {
  readonly type: 'group.role_change_admin';
  readonly data: { readonly user: UserRef | null; readonly member: UserRef | null; readonly role: string };
}
/** Group settings changes that name only who made them. */
export interface GroupUserOnlyEvent {
  readonly type:
    | 'group.like_icon_removed'
    | 'group.requires_approval_disabled'
    | 'group.requires_approval_enabled'
    | 'group.unshared'
    | 'group.shared'
    | 'group.visibility_set.hidden'
    | 'group.visibility_set.visible';
  readonly data: { readonly user: UserRef | null };
}
/** Changes to a topic (subgroup) of a group. */
export interface GroupSubgroupChangeEvent {
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
export interface GroupCallEndedEvent {
  readonly type: 'group.call.ended';
  readonly data: { readonly user: UserRef | null; readonly callDuration: number | null };
}
/** A bot was added to the group. */
export interface BotAddEvent {
  readonly type: 'bot.add';
  readonly data: { readonly user: UserRef | null; readonly bot: string };
}
/** A bot was renamed. */
export interface BotRenameEvent {
  readonly type: 'bot.rename';
  readonly data: { readonly user: UserRef | null; readonly botNameOld: string; readonly botNameNew: string };
}
/** A message was pinned or unpinned. */
export interface MessagePinnedEvent {
  readonly type: 'message.pinned' | 'message.unpinned';
  readonly data: {
    readonly messageId: string;
    readonly pinned: boolean;
    readonly pinnedBy: string | null;
    readonly pinnedAt: Date | null;
  };
}
/** A poll as system events name it. */
export interface PollRef {
  readonly id: string;
  readonly subject: string;
}
/** One option of a finished poll, with its votes. */
export interface PollOption {
  readonly id: string;
  readonly title: string;
  readonly votes: number;
  readonly voterIds: readonly string[];
}
/** A poll was started. */
export interface PollCreatedEvent {
  readonly type: 'poll.created';
  readonly data: { readonly user: UserRef | null; readonly poll: PollRef; readonly conversationId: string | null };
}
/** A poll closed; `options` carry the results. */
export interface PollFinishedEvent {
  readonly type: 'poll.finished';
  readonly data: {
    readonly poll: PollRef;
    readonly conversationId: string | null;
    readonly options: readonly PollOption[];
  };
}
/** A calendar event as system events name it. */
export interface CalendarEventRef {
  readonly id: string;
  readonly name: string;
}
/** Calendar events that name the event and the person. */
export interface CalendarEventEvent {
  readonly type:
    | 'calendar.event.created'
    | 'calendar.event.cancelled'
    | 'calendar.event.user.going'
    | 'calendar.event.user.not_going';
  readonly data: { readonly event: CalendarEventRef; readonly user: UserRef | null; readonly url: string | null };
}
/** A calendar event was edited; `updatedFields` says which fields. */
export interface CalendarEventUpdatedEvent {
  readonly type: 'calendar.event.updated';
  readonly data: {
    readonly event: CalendarEventRef;
    readonly user: UserRef | null;
    readonly updatedFields: readonly string[];
  };
}
/** GroupMe's assistant posted its privacy notice. */
export interface CopilotPrivacyNoticeEvent {
  readonly type: 'copilot.group.privacy_notice';
  readonly data: { readonly triggerMessageId: string | null };
}
/** A system event this version does not know, or a known one whose data was unusable. */
export interface UnknownSystemEvent {
  readonly type: 'unknown';
  /** The event's own `type`, when it had a string one. */
  readonly originalType: string | null;
  readonly data: unknown;
}
