import { directMessageChannel, groupChannel, type PushChannel } from '../events/channel.js';
import { ApiError } from '../errors/api-error.js';
import type { CallOptions, GroupMeApi } from '../rest/groupme-api.js';
import type { MembershipState } from '../rest/types.js';

/**
 * Every group channel you are an active member of and every DM thread channel. `/groups`
 * may list groups you left or were removed from, so membership states decide; a group
 * with no state row is kept (GroupMe lists only current groups there in practice).
 */
export async function discoverChannels(api: GroupMeApi, options: CallOptions = {}): Promise<PushChannel[]> {
  const [groups, states, chats] = await Promise.all([
    api.groups(options),
    membershipStatesOrNull(api, options),
    api.chats(options),
  ]);
  const stateOf = new Map(states?.map((row) => [row.groupId, row.state]));
  const channels: PushChannel[] = [];
  for (const group of groups) {
    if ((stateOf.get(group.id) ?? 'active') === 'active') channels.push(groupChannel(group.id));
  }
  for (const chat of chats) channels.push(directMessageChannel(chat.chatId));
  return channels;
}

/** `/memberships/states` is undocumented: when it is missing, fall back to `/groups` alone. */
async function membershipStatesOrNull(api: GroupMeApi, options: CallOptions): Promise<MembershipState[] | null> {
  try {
    return await api.membershipStates(options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
