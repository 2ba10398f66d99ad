/**
 * Appends every message (groups and DMs) to a JSON Lines file, and resumes after a
 * restart from where it stopped: the cursors live next to the log.
 *
 *   GROUPME_TOKEN=... npx tsx examples/logger.ts messages.jsonl
 */
import { appendFile } from 'node:fs/promises';
import { FileCursorStore, PushClient, type Message, type PushClientOptions } from 'groupme-push';

export interface Logger {
  readonly client: PushClient;
  /** Stops the client, then waits for the last lines to reach the disk. */
  stop(): Promise<void>;
}

export async function startLogger(logFile: string, options: PushClientOptions): Promise<Logger> {
  const client = new PushClient({ ...options, cursorStore: new FileCursorStore(`${logFile}.cursors.json`) });
  // Appends are chained so lines land in delivery order.
  let writing = Promise.resolve();
  const log = (message: Message, origin: string): void => {
    const line = JSON.stringify({ origin, ...message }) + '\n';
    writing = writing.then(() => appendFile(logFile, line)).catch((error: Error) => console.error(error.message));
  };
  client.on('line.create', (e) => log(e.message, e.origin));
  client.on('direct_message.create', (e) => log(e.message, e.origin));
  client.on('catch-up', (r) => r.delivered > 0 && console.error(`caught up ${r.delivered} missed messages`));
  await client.start();
  return {
    client,
    async stop() {
      await client.stop();
      await writing;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.env.GROUPME_TOKEN;
  if (!token) throw new Error('Set GROUPME_TOKEN to your GroupMe access token.');
  const logger = await startLogger(process.argv[2] ?? 'groupme.jsonl', { token, subscribeAll: true });
  process.once('SIGINT', () => void logger.stop());
}
