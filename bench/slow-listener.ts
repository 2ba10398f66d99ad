/**
 * npm run bench:slow: what a slow async listener does to throughput and memory. The client
 * waits for a conversation's listeners before handing out its next event, so a listener
 * that takes `d` ms caps that conversation at 1000/d events a second, while conversations
 * run side by side. Compared with a synchronous listener measured in the same run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PushClient } from '../src/index.js';
import { createGroupMeServer } from '../src/testing/index.js';

const PER_GROUP = Number(process.env.PER_GROUP ?? 400);
const DELAY_MS = 5;

interface Row {
  readonly case: string;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly peakHeapDeltaMB: number;
}

async function measure(name: string, groups: number, listener: () => unknown): Promise<Row> {
  const server = await createGroupMeServer();
  const me = server.addUser({ name: 'Me' });
  const other = server.addUser({ name: 'Other' });
  const ids = Array.from({ length: groups }, (_, i) => server.addGroup({ name: `G${i}`, members: [me.id, other.id] }).id);
  const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl });
  let done = 0;
  client.on('line.create', () => {
    done++;
    return listener();
  });
  await client.start();
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const started = performance.now();
  for (let i = 0; i < PER_GROUP; i++) for (const id of ids) server.post(id, other.id, `m${i}`);
  const total = PER_GROUP * groups;
  while (done < total) {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    await sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  await client.stop();
  await server.close();
  return { case: name, events: total, eventsPerSecond: Math.round(total / seconds), peakHeapDeltaMB: +((peak - heapBefore) / 2 ** 20).toFixed(1) };
}

const rows = [
  await measure('sync listener, 1 group', 1, () => undefined),
  await measure(`async ${DELAY_MS} ms listener, 1 group`, 1, () => sleep(DELAY_MS)),
  await measure(`async ${DELAY_MS} ms listener, 10 groups`, 10, () => sleep(DELAY_MS)),
];
const base = rows[0]!.eventsPerSecond;
console.table(rows.map((row) => ({ ...row, 'vs sync': `${(row.eventsPerSecond / base).toFixed(3)}×` })));
