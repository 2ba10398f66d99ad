/**
 * Who the publisher (bench/publisher-child.ts) serves: any number of users, each known by
 * a token that names it, and one group their messages are posted in.
 */
export const GROUP_ID = '108466446';

/** The token of a user: the publisher reads the user id back out of it. */
export function tokenOf(userId: string): string {
  return `bench-token-${userId}`;
}

export function userOf(token: string | undefined): string | undefined {
  return token?.startsWith('bench-token-') ? token.slice('bench-token-'.length) : undefined;
}
