/**
 * An echo bot: answers "!echo <words>" in any group you are in.
 *
 *   GROUPME_TOKEN=... npx tsx examples/echo-bot.ts
 */
import { PushClient, type PushClientOptions } from 'groupme-push';

export async function startEchoBot(options: PushClientOptions): Promise<PushClient> {
  const client = new PushClient(options);
  client.on('line.create', async (event) => {
    const { message } = event;
    // Never answer yourself, and skip what was caught up after a reconnect.
    if (message.userId === client.userId || event.origin !== 'push') return;
    const match = /^!echo\s+(.+)/s.exec(message.text ?? '');
    if (!match) return;
    try {
      await client.api.sendGroupMessage(message.groupId, match[1]!);
      await client.api.likeMessage(message.groupId, message.id);
    } catch (error) {
      console.error('reply failed:', (error as Error).message);
    }
  });
  client.on('error', (error) => console.error(error.message));
  await client.start();
  return client;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.env.GROUPME_TOKEN;
  if (!token) throw new Error('Set GROUPME_TOKEN to your GroupMe access token.');
  const bot = await startEchoBot({ token });
  console.error(`echo bot running as ${bot.userId}; Ctrl-C to stop`);
  process.once('SIGINT', () => void bot.stop());
}
