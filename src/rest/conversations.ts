import { directMessageChannel, groupChannel, type PushChannel } from '../events/channel.js';
import { ApiError } from '../errors/api-error.js';
import type { CallOptions, GroupMeApi } from './groupme-api.js';
import type { Chat, Group, MembershipState } from './types.js';

/** Your conversations: the groups you are an active member of, and every DM thread. */
export interface Conversations {
  readonly groups: Group[];
  readonly chats: Chat[];
}

/**
 * `/groups` may list groups you left or were removed from, so membership states decide;
 * a group with no state row is kept (GroupMe lists only current groups there in practice).
 */
export async function listConversations(api: GroupMeApi, options: CallOptions = {}): Promise<Conversations> {
  const [groups, states, chats] = await Promise.all([
    api.groups(options),
    membershipStatesOrNull(api, options),
    api.chats(options),
  ]);
  const stateOf = new Map(states?.map((row) => [row.groupId, row.state]));
  return { groups: groups.filter((group) => (stateOf.get(group.id) ?? 'active') === 'active'), chats };
}

/**
 * The push channel of every group you are an active member of and every DM thread. The
 * group ids come from `/memberships/states` (one request, no paging) when GroupMe serves
 * it, else from every page of `/groups`: at GroupMe's rate limit each request saved is
 * 200 ms off `start()` (the pages of `/groups` are read later, by catch-up).
 */
export async function discoverChannels(api: GroupMeApi, options: CallOptions = {}): Promise<PushChannel[]> {
  const [states, chats] = await Promise.all([membershipStatesOrNull(api, options), api.chats(options)]);
  const groupIds = states
    ? states.filter((row) => row.state === 'active').map((row) => row.groupId)
    : (await api.groups(options)).map((group) => group.id);
  return [...groupIds.map(groupChannel), ...chats.map((chat) => directMessageChannel(chat.chatId))];
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
