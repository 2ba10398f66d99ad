// A bot that may be killed at any moment, for test/client/guarantees-crash.test.ts (point 8
// of the delivery guarantees: at least once across a crash). Run from the repository root:
//
//   node --import tsx test/client/crash/child.ts <cursor file> <output file>
//
// with CRASH_TOKEN, CRASH_PUSH_URL and CRASH_API_URL in its environment. Its PushClient keeps
// cursors in a FileCursorStore and listens to /user only (subscribeAll off); each message's
// listener appends the message id, one line, to the output file and resolves once the line
// is written. Prints `ready` on stdout once start() resolved.
import { appendFile } from 'node:fs/promises';
import { FileCursorStore, PushClient } from '../../../src/index.js';

const [cursorFile, outputFile] = process.argv.slice(2);
const { CRASH_TOKEN: token, CRASH_PUSH_URL: pushUrl, CRASH_API_URL: apiUrl } = process.env;
if (!cursorFile || !outputFile || !token || !pushUrl || !apiUrl) {
  process.stderr.write('usage: CRASH_TOKEN=... CRASH_PUSH_URL=... CRASH_API_URL=... child.ts <cursor file> <output file>\n');
  process.exit(2);
}

const client = new PushClient({
  token,
  pushUrl,
  apiUrl,
  cursorStore: new FileCursorStore(cursorFile),
  subscribeAll: false,
  reconnect: { baseDelayMs: 50, maxDelayMs: 400 },
  requestTimeoutMs: 5_000,
  restRetry: { retries: 4, baseDelayMs: 10, maxDelayMs: 200 },
  restRateLimit: { perSecond: 500, burst: 200 },
});

async function record(id: string): Promise<void> {
  await appendFile(outputFile!, `${id}\n`);
}

client.on('line.create', (e) => record(e.message.id));
client.on('direct_message.create', (e) => record(e.message.id));
client.on('error', (e) => process.stderr.write(`error: ${e.name}: ${e.message}\n`));
client.on('state', (s) => process.stderr.write(`state: ${s.previous} -> ${s.current} (${s.reason})\n`));
process.on('SIGTERM', () => void client.stop().then(() => process.exit(0)));

await client.start();
process.stdout.write('ready\n');
