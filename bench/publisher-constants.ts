/** Who the publisher (bench/publisher-child.ts) serves: one user, one group, any token. */
export const USER_ID = '93645911';
export const GROUP_ID = '108466446';
export const TOKEN = 'bench-token';
