import type { SimChat, SimGroup, SimUser } from './state.js';

/** The world `seed: 'demo'` creates. The main user's token is `demo-token`. */
export interface DemoWorld {
  /** "You", token `demo-token`: connect as this user. */
  readonly me: SimUser;
  /** Ada, Grace and Lin. */
  readonly others: readonly SimUser[];
  /** "Climbing crew" (You, Ada, Grace) and "Book club" (You, Grace, Lin). */
  readonly groups: readonly SimGroup[];
  /** The DM thread between You and Ada. */
  readonly chat: SimChat;
}

/** The part of the server the seed uses. */
export interface DemoSeedTarget {
  addUser(options: { name: string; token?: string }): SimUser;
  addGroup(options: { name: string; members: readonly string[] }): SimGroup;
  addChat(userA: string, userB: string): SimChat;
  post(groupId: string, userId: string, text: string): unknown;
  sendDirectMessage(fromId: string, toId: string, text: string): unknown;
}

/**
 * A small named world with a little history, so a demo runs with zero setup. It is built
 * before anyone can connect: the history is there for REST, nothing is pushed to anyone.
 */
export function seedDemo(server: DemoSeedTarget): DemoWorld {
  const me = server.addUser({ name: 'You', token: 'demo-token' });
  const ada = server.addUser({ name: 'Ada' });
  const grace = server.addUser({ name: 'Grace' });
  const lin = server.addUser({ name: 'Lin' });
  const climbing = server.addGroup({ name: 'Climbing crew', members: [me.id, ada.id, grace.id] });
  const book = server.addGroup({ name: 'Book club', members: [me.id, grace.id, lin.id] });
  const chat = server.addChat(me.id, ada.id);
  server.post(climbing.id, ada.id, 'Bouldering on Saturday?');
  server.post(climbing.id, grace.id, 'In!');
  server.post(book.id, lin.id, 'Chapter 3 by Thursday, please.');
  server.sendDirectMessage(ada.id, me.id, 'Bring the spare chalk bag?');
  return { me, others: [ada, grace, lin], groups: [climbing, book], chat };
}
