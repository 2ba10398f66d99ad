/** The account behind the token (`GET /users/me`). */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly avatarUrl: string | null;
}

/** A group as `GET /groups` lists it. */
export interface Group {
  readonly id: string;
  readonly name: string;
  readonly type: string | null;
  readonly description: string | null;
  readonly imageUrl: string | null;
  readonly creatorId: string | null;
  readonly shareUrl: string | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly messageCount: number;
  /** The newest message's id: compare with your cursor to tell whether anything is new. */
  readonly lastMessageId: string | null;
  readonly lastMessageCreatedAt: Date | null;
}

/** GroupMe's membership states; others may appear and pass through as strings. */
export type MembershipStateName = 'active' | 'exited' | 'removed' | 'pending' | (string & {});

/** One row of `GET /memberships/states`. */
export interface MembershipState {
  readonly groupId: string;
  readonly state: MembershipStateName;
}

/** A DM thread as `GET /chats` lists it. */
export interface Chat {
  /** The thread id as REST spells it: `lo+hi`, the smaller user id first. */
  readonly chatId: string;
  readonly otherUser: { readonly id: string; readonly name: string; readonly avatarUrl: string | null };
  readonly messageCount: number;
  readonly lastMessageId: string | null;
  readonly lastMessageCreatedAt: Date | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
}

/**
 * Where to read messages from. `afterId` returns the messages right after that id, oldest
 * first, with no gap (use it to catch up); `beforeId` and `sinceId` return newest first
 * (`sinceId` may skip a gap).
 */
export interface MessageQuery {
  readonly afterId?: string;
  readonly beforeId?: string;
  readonly sinceId?: string;
  /** At most 100. */
  readonly limit?: number;
}
