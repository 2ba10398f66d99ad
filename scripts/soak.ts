/**
 * Soak: one PushClient against the look-alike server in its as-observed profile (no pings,
 * DMs read newest first 20 a page, short history pages) for a set time, with steady group
 * and DM traffic and a fault every few seconds: restart, dropped sockets, black hole, REST
 * 429/500 during catch-up, reaped sessions, a burst of DMs in one thread while away, and a
 * quiet stretch with no traffic at all (which must cost no reconnect). Prints what was
 * published, delivered, lost and duplicated, the reconnects, and memory at start and end.
 *
 *   npm run soak -- --minutes 10 [--rate 20] [--fault-every 15]
 */
import { parseArgs } from 'node:util';
import { PushClient } from '../src/index.js';
import { createGroupMeServer } from '../src/testing/index.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    rate: { type: 'string', default: '20' },
    'fault-every': { type: 'string', default: '15' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const faultEverySeconds = Number(values['fault-every']);

const server = await createGroupMeServer();
const me = server.addUser({ name: 'Soak' });
const friends = [0, 1, 2].map((i) => server.addUser({ name: `Friend ${i}` }));
const groups = [0, 1, 2, 3].map((i) => server.addGroup({ name: `Group ${i}`, members: [me.id, ...friends.map((f) => f.id)] }));
for (const friend of friends) server.addChat(me.id, friend.id);

const client = new PushClient({
  token: me.token,
  pushUrl: server.pushUrl,
  apiUrl: server.apiUrl,
  subscribeAll: true,
  liveness: { quietMs: 1_500, probeTimeoutMs: 1_500 },
  reconnect: { baseDelayMs: 200, maxDelayMs: 3_000 },
  subscribeTimeoutMs: 3_000,
  requestTimeoutMs: 3_000,
  restRetry: { retries: 5, baseDelayMs: 50, maxDelayMs: 1_000 },
});

const published = new Set<string>();
const delivered = new Map<string, number>();
let reconnects = 0;
let caughtUp = 0;
let errors = 0;
client.on('line.create', (e) => count(e.message.id, e.origin));
client.on('direct_message.create', (e) => count(e.message.id, e.origin));
client.on('state', (s) => {
  if (s.current === 'reconnecting' && s.previous === 'connected') {
    reconnects++;
    if (Date.now() < quietUntil) reconnectsWhileQuiet++;
  }
});
client.on('error', () => errors++);
function count(id: string, origin: string): void {
  delivered.set(id, (delivered.get(id) ?? 0) + 1);
  if (origin === 'catch-up') caughtUp++;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
await client.start();
global.gc?.();
const startMemory = process.memoryUsage();
const started = Date.now();
const deadline = started + minutes * 60_000;

let tick = 0;
/** While set, no traffic: the connection must stay up on probes alone. */
let quietUntil = 0;
let reconnectsWhileQuiet = 0;
const traffic = setInterval(() => {
  if (Date.now() < quietUntil) return;
  tick++;
  const friend = friends[tick % friends.length]!;
  const message = tick % 3 === 0
    ? server.sendDirectMessage(friend.id, me.id, `dm ${tick}`)
    : server.post(groups[tick % groups.length]!.id, friend.id, `msg ${tick}`);
  published.add(message.id);
}, 1000 / rate);

const faults = ['restart', 'drop', 'reap', 'blackhole', 'quiet', 'rest-errors', 'dm-burst'] as const;
let faultIndex = 0;
const faultTimer = setInterval(() => {
  const fault = faults[faultIndex++ % faults.length]!;
  if (fault === 'reap') server.reapSessions();
  if (fault === 'quiet') quietUntil = Date.now() + Math.min(10_000, faultEverySeconds * 700);
  if (fault === 'dm-burst') {
    // More than a page of one thread while away: the walk back with before_id must get all.
    server.dropConnections();
    for (let i = 0; i < 45; i++) published.add(server.sendDirectMessage(friends[0]!.id, me.id, `burst ${i}`).id);
  }
  if (fault === 'restart') void server.restart();
  if (fault === 'drop') server.dropConnections();
  if (fault === 'blackhole') {
    server.blackhole(true);
    setTimeout(() => server.blackhole(false), 5_000);
  }
  if (fault === 'rest-errors') {
    server.dropConnections();
    server.failNextRest({ status: 429, times: 1, retryAfterSeconds: 1 });
    server.failNextRest({ status: 500, times: 2 });
  }
}, faultEverySeconds * 1000);

const progress = setInterval(() => {
  const elapsed = Math.round((Date.now() - started) / 1000);
  console.error(`  ${elapsed}s: published ${published.size}, delivered ${delivered.size}, reconnects ${reconnects}, state ${client.state}`);
}, 30_000);

await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
clearInterval(traffic);
clearInterval(faultTimer);
clearInterval(progress);
server.blackhole(false);
// Let the last reconnect and catch-up finish before counting.
const settleBy = Date.now() + 30_000;
while (Date.now() < settleBy && ([...published].some((id) => !delivered.has(id)) || client.state !== 'connected')) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
global.gc?.();
const endMemory = process.memoryUsage();
const lost = [...published].filter((id) => !delivered.has(id)).length;
const duplicated = [...delivered.values()].filter((n) => n > 1).length;
await client.stop();
await server.close();

const report = {
  minutes,
  published: published.size,
  delivered: delivered.size,
  lost,
  duplicated,
  deliveredByCatchUp: caughtUp,
  reconnects,
  reconnectsWhileQuiet,
  errorsReported: errors,
  heapStart: mb(startMemory.heapUsed),
  heapEnd: mb(endMemory.heapUsed),
  rssStart: mb(startMemory.rss),
  rssEnd: mb(endMemory.rss),
};
console.log(JSON.stringify(report, null, 2));
process.exitCode = lost === 0 && duplicated === 0 && reconnectsWhileQuiet === 0 ? 0 : 1;
