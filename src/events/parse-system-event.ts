import { parseAttachments } from './parse-attachments.js';
import { type Json, bool, id, ids, isoOrSeconds, list, nonEmpty, num, obj, seconds, str } from '../util/read-json.js';
import type { CalendarEventRef, LikeIcon, MessageEdit, PollOption, PollRef, SystemEvent, UserRef } from './system-events.js';

/**
 * `subject.event` of a system message; null when it is not an object at all. Types this
 * version does not know, and known ones whose data lacks what the type promises (a rename
 * without the name), become `{type: 'unknown'}` holding the original `data` by reference.
 * A known one holds it too, as `rawData`, beside the typed `data`.
 */
export function parseSystemEvent(value: unknown): SystemEvent | null {
  const e = obj(value);
  if (!e) return null;
  const type = str(e.type);
  const data = obj(e.data);
  const known = type !== null && data ? knownSystemEvent(type, data) : undefined;
  return known ?? { type: 'unknown', originalType: type, data: e.data };
}

function knownSystemEvent(type: string, d: Json): SystemEvent | undefined {
  switch (type) {
    case 'membership.announce.added':
      return { type, rawData: d, data: { addedUsers: userList(d.added_users), adderUser: user(d.adder_user) } };
    case 'membership.announce.joined':
    case 'membership.announce.rejoined':
      return { type, rawData: d, data: { user: user(d.user) } };
    case 'membership.notifications.removed':
      return { type, rawData: d, data: { removerUser: user(d.remover_user), removedUser: user(d.removed_user) } };
    case 'membership.notifications.exited':
      return { type, rawData: d, data: { removedUser: user(d.removed_user) } };
    case 'group.name_change': {
      const name = str(d.name);
      return name === null ? undefined : { type, rawData: d, data: { user: user(d.user), name } };
    }
    case 'group.topic_change': {
      const topic = str(d.topic);
      return topic === null ? undefined : { type, rawData: d, data: { user: user(d.user), topic } };
    }
    case 'group.avatar_change':
      return { type, rawData: d, data: { user: user(d.user), avatarUrl: nonEmpty(d.avatar_url) } };
    case 'group.role_change_admin':
      return { type, rawData: d, data: { user: user(d.user), member: user(d.member), role: str(d.role) ?? '' } };
    case 'group.like_icon_removed':
    case 'group.requires_approval_disabled':
    case 'group.requires_approval_enabled':
    case 'group.unshared':
    case 'group.visibility_set.hidden':
    case 'group.visibility_set.visible':
      return { type, rawData: d, data: { user: user(d.user) } };
    case 'group.subgroup_name_change':
    case 'group.subgroup_description_change':
    case 'group.subgroup_avatar_change':
    case 'group.subgroup_type_change':
      return {
        type,
        rawData: d,
        data: {
          user: user(d.user),
          subgroupTopic: str(d.subgroup_topic),
          parentId: id(d.parent_id),
          subgroupDescription: str(d.subgroup_description),
          subgroupAvatarUrl: nonEmpty(d.subgroup_avatar_url),
          // `data.type` is the topic's new type (`closed`...), not the event's.
          subgroupType: str(d.type),
          messageEditPeriod: num(d.message_edit_period),
        },
      };
    case 'group.call.ended':
      return { type, rawData: d, data: { user: user(d.user), callDuration: num(d.call_duration) } };
    case 'bot.add': {
      const bot = str(d.bot);
      return bot === null ? undefined : { type, rawData: d, data: { user: user(d.user), bot } };
    }
    case 'bot.rename': {
      const oldName = str(d.bot_name_old);
      const newName = str(d.bot_name_new);
      if (oldName === null || newName === null) return undefined;
      return { type, rawData: d, data: { user: user(d.user), botNameOld: oldName, botNameNew: newName } };
    }
    case 'message.pinned':
    case 'message.unpinned': {
      const messageId = id(d.message_id);
      if (messageId === null) return undefined;
      // `pinned` is redundant with the type; trusted when present, inferred when not.
      const pinned = typeof d.pinned === 'boolean' ? d.pinned : type === 'message.pinned';
      return { type, rawData: d, data: { messageId, pinned, pinnedBy: id(d.pinned_by), pinnedAt: seconds(d.pinned_at) } };
    }
    case 'poll.created': {
      const p = poll(d.poll);
      return p ? { type, rawData: d, data: { user: user(d.user), poll: p, conversationId: id(obj(d.conversation)?.id) } } : undefined;
    }
    case 'poll.finished': {
      const p = poll(d.poll);
      return p ? { type, rawData: d, data: { poll: p, conversationId: id(obj(d.conversation)?.id), options: pollOptions(d.options) } } : undefined;
    }
    case 'calendar.event.created':
    case 'calendar.event.cancelled':
    case 'calendar.event.user.going':
    case 'calendar.event.user.not_going': {
      const event = calendarEvent(d.event);
      return event ? { type, rawData: d, data: { event, user: user(d.user), url: nonEmpty(d.url) } } : undefined;
    }
    case 'calendar.event.updated': {
      const event = calendarEvent(d.event);
      const fields = Array.isArray(d.updated_fields) ? d.updated_fields.filter((f): f is string => typeof f === 'string') : [];
      return event ? { type, rawData: d, data: { event, user: user(d.user), updatedFields: fields } } : undefined;
    }
    case 'copilot.group.privacy_notice':
      return { type, rawData: d, data: { triggerMessageId: id(d.trigger_message) } };

    // Edits and deletions as /user hears of them.
    case 'message.deleted': {
      const messageId = id(d.message_id);
      if (messageId === null) return undefined;
      return {
        type,
        rawData: d,
        data: { messageId, deletedAt: isoOrSeconds(d.deleted_at), deletionActor: str(d.deletion_actor), deleterId: id(d.deleter_id) },
      };
    }
    case 'message.update': {
      const messageId = id(d.message_id);
      if (messageId === null) return undefined;
      return {
        type,
        rawData: d,
        data: { messageId, senderId: id(d.sender_id), updatedAt: seconds(d.updated_at), message: messageEdit(d.message) },
      };
    }

    // Seen in the wild, never captured whole: every field is optional.
    case 'membership.nickname_changed':
      return { type, rawData: d, data: { user: user(d.user), name: str(d.name) } };
    case 'membership.avatar_changed':
      return { type, rawData: d, data: { user: user(d.user), avatarUrl: nonEmpty(d.avatar_url) } };
    case 'membership.notifications.autokicked':
      return { type, rawData: d, data: { user: user(d.user) } };
    case 'group.shared':
      return { type, rawData: d, data: { user: user(d.user), shareUrl: nonEmpty(d.share_url), shareQrCodeUrl: nonEmpty(d.share_qr_code_url) } };
    case 'group.like_icon_set':
      return { type, rawData: d, data: { user: user(d.user), likeIcon: likeIcon(d.like_icon) } };
    case 'group.theme_change':
      return { type, rawData: d, data: { user: user(d.user), themeName: str(d.theme_name) } };
    case 'group.type_change':
      // `data.type` is the group's new type (`closed`...), not the event's.
      return { type, rawData: d, data: { user: user(d.user), groupType: str(d.type), messageEditPeriod: num(d.message_edit_period) } };
    case 'group.added_to_directory':
      return { type, rawData: d, data: { user: user(d.user), directoryName: str(d.directory_name) } };
    case 'bot.del':
      return { type, rawData: d, data: { user: user(d.user), bot: str(d.bot) } };
    case 'poll.reminder':
      return { type, rawData: d, data: { poll: poll(d.poll), conversationId: id(obj(d.conversation)?.id) } };
    case 'calendar.event.user.undecided':
      return { type, rawData: d, data: { event: calendarEvent(d.event), user: user(d.user) } };
    case 'calendar.event.starting':
      return { type, rawData: d, data: { eventName: str(d.event_name), minutes: count(d.minutes), callStarted: bool(d.call_started) } };

    default:
      // A family: `group.office_mode_enabled`, `group.office_mode_disabled`, and any kin.
      return type.startsWith(OFFICE_MODE) && type.length > OFFICE_MODE.length
        ? { type: type as `group.office_mode_${string}`, rawData: d, data: { user: user(d.user) } }
        : undefined;
  }
}

const OFFICE_MODE = 'group.office_mode_';

function messageEdit(value: unknown): MessageEdit | null {
  const m = obj(value);
  return m ? { text: str(m.text), attachments: parseAttachments(m.attachments) } : null;
}

function likeIcon(value: unknown): LikeIcon | null {
  const l = obj(value);
  return l ? { type: str(l.type), packId: num(l.pack_id), packIndex: num(l.pack_index) } : null;
}

/** A whole number of minutes, sent as a number or as a string of digits. */
function count(value: unknown): number | null {
  if (typeof value === 'string') return /^\d{1,15}$/.test(value) ? Number(value) : null;
  return num(value);
}

/** A person: `{id, nickname}` where the id may be a number, a string or "system". */
function user(value: unknown): UserRef | null {
  const u = obj(value);
  const userId = u ? id(u.id) : null;
  return u && userId !== null ? { id: userId, nickname: str(u.nickname) ?? '' } : null;
}

function userList(value: unknown): readonly UserRef[] {
  return list(value, user);
}

function poll(value: unknown): PollRef | null {
  const p = obj(value);
  const pollId = p ? id(p.id) : null;
  return p && pollId !== null ? { id: pollId, subject: str(p.subject) ?? '', expiresAt: seconds(p.expiration) } : null;
}

function pollOptions(value: unknown): readonly PollOption[] {
  return list(value, (item) => {
    const o = obj(item);
    const optionId = o ? id(o.id) : null;
    return o && optionId !== null ? { id: optionId, title: str(o.title) ?? '', votes: num(o.votes) ?? 0, voterIds: ids(o.voter_ids) } : null;
  });
}

function calendarEvent(value: unknown): CalendarEventRef | null {
  const e = obj(value);
  const eventId = e ? id(e.id) : null;
  return e && eventId !== null ? { id: eventId, name: str(e.name) ?? '' } : null;
}
