/**
 * A forwarder skeleton: every new message goes to a sink of your choice (a webhook, a
 * queue, another chat). Replace `forward` with your own.
 *
 *   GROUPME_TOKEN=... FORWARD_URL=https://example.com/hook npx tsx examples/forwarder.ts
 */
import { PushClient, type Message, type PushClientOptions } from 'groupme-push';

export type Sink = (message: Message) => Promise<void>;

/** Posts each message as JSON to a URL. */
export function webhookSink(url: string): Sink {
  return async (message) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
    if (!res.ok) throw new Error(`The webhook answered HTTP ${res.status}.`);
  };
}

export async function startForwarder(sink: Sink, options: PushClientOptions): Promise<PushClient> {
  const client = new PushClient(options);
  const forward = (message: Message): void => {
    sink(message).catch((error: Error) => console.error(`forwarding ${message.id} failed: ${error.message}`));
  };
  client.on('line.create', (e) => forward(e.message));
  client.on('direct_message.create', (e) => forward(e.message));
  await client.start();
  return client;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.env.GROUPME_TOKEN;
  const url = process.env.FORWARD_URL;
  if (!token || !url) throw new Error('Set GROUPME_TOKEN and FORWARD_URL.');
  const forwarder = await startForwarder(webhookSink(url), { token });
  process.once('SIGINT', () => void forwarder.stop());
}
