import { PushClient } from '../client/push-client.js';
import type { PushEvent } from '../events/types.js';
import { createGroupMeServer } from '../testing/index.js';
import { formatEvent } from './format-event.js';

/**
 * A scripted conversation on the built-in look-alike server: no token, no network. It
 * shows every event type arriving typed, as a user of the library would receive them.
 */
export async function runDemo(out: (line: string) => void = console.log): Promise<void> {
  const server = await createGroupMeServer({ seed: 'demo', pingIntervalMs: 0 });
  const world = server.demo!;
  const [ada, grace, lin] = world.others as [typeof world.me, typeof world.me, typeof world.me];
  const [climbing] = world.groups as [typeof world.groups[0]];
  const client = new PushClient({ token: world.me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl, subscribeAll: true });

  const names = new Map<string, string>([
    [climbing.id, `#${climbing.name}`],
    ...world.groups.map((g) => [g.id, `#${g.name}`] as [string, string]),
    [world.chat.id, `DM ${ada.name}`],
    [world.chat.id.replace('+', '_'), `DM ${ada.name}`],
  ]);
  const conversation = (event: PushEvent): string => {
    if (event.type === 'line.create') return names.get(event.message.groupId) ?? event.message.groupId;
    if (event.type === 'direct_message.create') return names.get(event.message.chatId) ?? event.message.chatId;
    return names.get(event.channel.id) ?? event.channel.path;
  };

  const people = new Map([world.me, ...world.others].map((u) => [u.id, u.name]));
  const book = { conversation, user: (id: string) => people.get(id) ?? id };

  let seen = 0;
  const arrived = new Set<string>();
  client.on('event', (event) => {
    seen++;
    arrived.add(event.type);
    out(formatEvent(event, book));
  });
  client.on('state', (s) => out(`-- ${s.current} (${s.reason})`));

  // Each step waits for the events it causes, so the transcript reads in order.
  const step = async (expected: number, action: () => void): Promise<void> => {
    const target = seen + expected;
    action();
    while (seen < target) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  try {
    await client.start();
    out(`-- listening as ${world.me.name} (${client.userId}) on ${client.channels.length} channels\n`);
    let question = '';
    let mine = '';
    let typo = '';
    let dm = '';
    await step(1, () => (question = server.post(climbing.id, ada.id, 'Who is in for Saturday?').id));
    await step(1, () => server.typing(grace.id, climbing.id));
    await step(1, () => (mine = server.post(climbing.id, world.me.id, 'Me! 9am at the gym?').id));
    await step(2, () => server.react(grace.id, mine, '👍'));
    await step(1, () => server.editMessage(question, 'Who is in for Saturday? (indoors: rain)'));
    await step(1, () => (typo = server.post(climbing.id, grace.id, 'wrong chat, sorry').id));
    await step(1, () => server.deleteMessage(typo));
    await step(1, () => (dm = server.sendDirectMessage(ada.id, world.me.id, 'Can you bring the rope?').id));
    await step(1, () => server.readReceipt(ada.id, world.chat.id, dm));
    await step(1, () => server.addMember(climbing.id, lin.id, ada.id));
    const trip = server.addGroup({ name: 'Trip planning', members: [ada.id] });
    names.set(trip.id, `#${trip.name}`);
    // subscribeAll subscribes a group you are added to; its ping below needs that done.
    const tripHeld = new Promise<void>((resolve) =>
      client.on('subscribed', (channel) => {
        if (channel.path === `/group/${trip.id}`) resolve();
      }),
    );
    await step(2, () => server.addMember(trip.id, world.me.id, ada.id));
    await tripHeld;
    await step(1, () => server.publishRaw(`/user/${world.me.id}`, { type: 'poll.sparkles', subject: { id: '1' } }));
    await step(client.channels.length, () => server.ping());
  } finally {
    await client.stop();
    await server.close();
  }
  out(`\n-- ${seen} events of ${arrived.size} types: ${[...arrived].sort().join(', ')}`);
}
