import { bool, id, nonEmpty, num, obj, seconds, str } from '../util/read-json.js';
import type { GroupSummary } from './types.js';

/**
 * The cut-down group that `membership.create` carries; null without an id. Older and REST
 * spellings (`group_id`, `creator_user_id`, `image_url`) are read too, since the same
 * group reaches clients in several shapes.
 */
export function parseGroupSummary(value: unknown): GroupSummary | null {
  const g = obj(value);
  const groupId = g ? (id(g.id) ?? id(g.group_id)) : null;
  if (!g || groupId === null) return null;
  return {
    id: groupId,
    name: str(g.name) ?? '',
    type: str(g.type),
    description: str(g.description),
    creatorId: id(g.creator_id) ?? id(g.creator_user_id),
    avatarUrl: nonEmpty(g.avatar_url) ?? nonEmpty(g.image_url),
    shareUrl: nonEmpty(g.share_url),
    createdAt: seconds(g.created_at),
    updatedAt: seconds(g.updated_at),
    phoneNumber: nonEmpty(g.phone_number),
    maxMemberships: num(g.max_memberships),
    disableSharing: bool(g.disable_sharing),
    shared: bool(g.shared),
    previewUrl: nonEmpty(g.preview_url),
    themeName: nonEmpty(g.theme_name),
    threadId: id(g.thread_id),
  };
}
