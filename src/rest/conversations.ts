import { ApiError } from '../errors/api-error.js';
import type { CallOptions, GroupMeApi } from './groupme-api.js';
import type { MembershipState } from './types.js';

/** A conversation to listen to and catch up: a group you are active in, or a DM thread. */
export interface Conversation {
  readonly kind: 'group' | 'direct_message';
  /** The group id, or the DM thread as REST spells it (`lo+hi`). */
  readonly id: string;
  /**
   * Its newest message id as the listing says; null when it has no messages, undefined when
   * the listing did not include it (a group only `/memberships/states` named).
   */
  readonly newestId: string | null | undefined;
}

/**
 * Every group you are an active member of and every DM thread, each list read once and in
 * full. `/groups` may list groups you left, so membership states decide; a group with no
 * state row is kept, and a group `/memberships/states` calls active is kept even when
 * `/groups` did not list it (its newest id is then unknown).
 */
export async function listConversations(api: GroupMeApi, options: CallOptions = {}): Promise<Conversation[]> {
  const [groups, states, chats] = await Promise.all([api.groups(options), membershipStatesOrNull(api, options), api.chats(options)]);
  const stateOf = new Map(states?.map((row) => [row.groupId, row.state]));
  const listed = new Set(groups.map((group) => group.id));
  const conversations: Conversation[] = [];
  for (const group of groups) {
    if ((stateOf.get(group.id) ?? 'active') === 'active') conversations.push({ kind: 'group', id: group.id, newestId: group.lastMessageId });
  }
  for (const [groupId, state] of stateOf) {
    if (state === 'active' && !listed.has(groupId)) conversations.push({ kind: 'group', id: groupId, newestId: undefined });
  }
  for (const chat of chats) conversations.push({ kind: 'direct_message', id: chat.chatId, newestId: chat.lastMessageId });
  return conversations;
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
