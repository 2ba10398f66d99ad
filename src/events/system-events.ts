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

export interface MembershipAnnounceAddedEvent {
  readonly type: 'membership.announce.added';
  readonly data: { readonly addedUsers: readonly UserRef[]; readonly adderUser: UserRef | null };
}
export interface MembershipAnnounceJoinedEvent {
  readonly type: 'membership.announce.joined';
  readonly data: { readonly user: UserRef | null };
}
export interface MembershipAnnounceRejoinedEvent {
  readonly type: 'membership.announce.rejoined';
  readonly data: { readonly user: UserRef | null };
}
export interface MembershipNotificationsRemovedEvent {
  readonly type: 'membership.notifications.removed';
  readonly data: { readonly removerUser: UserRef | null; readonly removedUser: UserRef | null };
}
export interface MembershipNotificationsExitedEvent {
  readonly type: 'membership.notifications.exited';
  readonly data: { readonly removedUser: UserRef | null };
}
export interface GroupNameChangeEvent {
  readonly type: 'group.name_change';
  readonly data: { readonly user: UserRef | null; readonly name: string };
}
export interface GroupTopicChangeEvent {
  readonly type: 'group.topic_change';
  readonly data: { readonly user: UserRef | null; readonly topic: string };
}
export interface GroupAvatarChangeEvent {
  readonly type: 'group.avatar_change';
  readonly data: { readonly user: UserRef | null; readonly avatarUrl: string | null };
}
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
export interface GroupCallEndedEvent {
  readonly type: 'group.call.ended';
  readonly data: { readonly user: UserRef | null; readonly callDuration: number | null };
}
export interface BotAddEvent {
  readonly type: 'bot.add';
  readonly data: { readonly user: UserRef | null; readonly bot: string };
}
export interface BotRenameEvent {
  readonly type: 'bot.rename';
  readonly data: { readonly user: UserRef | null; readonly botNameOld: string; readonly botNameNew: string };
}
export interface MessagePinnedEvent {
  readonly type: 'message.pinned' | 'message.unpinned';
  readonly data: {
    readonly messageId: string;
    readonly pinned: boolean;
    readonly pinnedBy: string | null;
    readonly pinnedAt: Date | null;
  };
}
export interface PollRef {
  readonly id: string;
  readonly subject: string;
}
export interface PollOption {
  readonly id: string;
  readonly title: string;
  readonly votes: number;
  readonly voterIds: readonly string[];
}
export interface PollCreatedEvent {
  readonly type: 'poll.created';
  readonly data: { readonly user: UserRef | null; readonly poll: PollRef; readonly conversationId: string | null };
}
export interface PollFinishedEvent {
  readonly type: 'poll.finished';
  readonly data: {
    readonly poll: PollRef;
    readonly conversationId: string | null;
    readonly options: readonly PollOption[];
  };
}
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
export interface CalendarEventUpdatedEvent {
  readonly type: 'calendar.event.updated';
  readonly data: {
    readonly event: CalendarEventRef;
    readonly user: UserRef | null;
    readonly updatedFields: readonly string[];
  };
}
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
