import { type Json, id, ids, list, nonEmpty, num, obj, seconds, str } from './read.js';
import type { CalendarEventRef, PollOption, PollRef, SystemEvent, UserRef } from './system-events.js';

/**
 * `subject.event` of a system message; null when it is not an object at all. Types this
 * version does not know, and known ones whose data lacks what the type promises (a rename
 * without the name), become `{type: 'unknown'}` holding the original `data` by reference.
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
      return { type, data: { addedUsers: userList(d.added_users), adderUser: user(d.adder_user) } };
    case 'membership.announce.joined':
    case 'membership.announce.rejoined':
      return { type, data: { user: user(d.user) } };
    case 'membership.notifications.removed':
      return { type, data: { removerUser: user(d.remover_user), removedUser: user(d.removed_user) } };
    case 'membership.notifications.exited':
      return { type, data: { removedUser: user(d.removed_user) } };
    case 'group.name_change': {
      const name = str(d.name);
      return name === null ? undefined : { type, data: { user: user(d.user), name } };
    }
    case 'group.topic_change': {
      const topic = str(d.topic);
      return topic === null ? undefined : { type, data: { user: user(d.user), topic } };
    }
    case 'group.avatar_change':
      return { type, data: { user: user(d.user), avatarUrl: nonEmpty(d.avatar_url) } };
    case 'group.role_change_admin':
      return { type, data: { user: user(d.user), member: user(d.member), role: str(d.role) ?? '' } };
    case 'group.like_icon_removed':
    case 'group.requires_approval_disabled':
    case 'group.requires_approval_enabled':
    case 'group.unshared':
    case 'group.shared':
    case 'group.visibility_set.hidden':
    case 'group.visibility_set.visible':
      return { type, data: { user: user(d.user) } };
    case 'group.subgroup_name_change':
    case 'group.subgroup_description_change':
    case 'group.subgroup_avatar_change':
    case 'group.subgroup_type_change':
      return {
        type,
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
      return { type, data: { user: user(d.user), callDuration: num(d.call_duration) } };
    case 'bot.add': {
      const bot = str(d.bot);
      return bot === null ? undefined : { type, data: { user: user(d.user), bot } };
    }
    case 'bot.rename': {
      const oldName = str(d.bot_name_old);
      const newName = str(d.bot_name_new);
      if (oldName === null || newName === null) return undefined;
      return { type, data: { user: user(d.user), botNameOld: oldName, botNameNew: newName } };
    }
    case 'message.pinned':
    case 'message.unpinned': {
      const messageId = id(d.message_id);
      if (messageId === null) return undefined;
      // `pinned` is redundant with the type; trusted when present, inferred when not.
      const pinned = typeof d.pinned === 'boolean' ? d.pinned : type === 'message.pinned';
      return { type, data: { messageId, pinned, pinnedBy: id(d.pinned_by), pinnedAt: seconds(d.pinned_at) } };
    }
    case 'poll.created': {
      const p = poll(d.poll);
      return p ? { type, data: { user: user(d.user), poll: p, conversationId: id(obj(d.conversation)?.id) } } : undefined;
    }
    case 'poll.finished': {
      const p = poll(d.poll);
      return p ? { type, data: { poll: p, conversationId: id(obj(d.conversation)?.id), options: pollOptions(d.options) } } : undefined;
    }
    case 'calendar.event.created':
    case 'calendar.event.cancelled':
    case 'calendar.event.user.going':
    case 'calendar.event.user.not_going': {
      const event = calendarEvent(d.event);
      return event ? { type, data: { event, user: user(d.user), url: nonEmpty(d.url) } } : undefined;
    }
    case 'calendar.event.updated': {
      const event = calendarEvent(d.event);
      const fields = Array.isArray(d.updated_fields) ? d.updated_fields.filter((f): f is string => typeof f === 'string') : [];
      return event ? { type, data: { event, user: user(d.user), updatedFields: fields } } : undefined;
    }
    case 'copilot.group.privacy_notice':
      return { type, data: { triggerMessageId: id(d.trigger_message) } };
    default:
      return undefined;
  }
}

/** A person: `{id, nickname}` where the id may be a number, a string or "system". */
function user(value: unknown): UserRef | null {
  const u = obj(value);
  const userId = u ? id(u.id) : null;
  return u && userId !== null ? { id: userId, nickname: str(u.nickname) ?? '' } : null;
}

function userList(value: unknown): UserRef[] {
  return list(value, user);
}

function poll(value: unknown): PollRef | null {
  const p = obj(value);
  const pollId = p ? id(p.id) : null;
  return p && pollId !== null ? { id: pollId, subject: str(p.subject) ?? '' } : null;
}

function pollOptions(value: unknown): PollOption[] {
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
