/**
 * npm run bench:pool -- [--sizes 1,1000,5000] [--events 50000]
 *
 * Many PushClients in one process, against the look-alike server in its own process: heap
 * and RSS per connected idle client, then events/s and CPU per event while every client
 * receives the same posts in one group. CPU per event is compared with the 1-client row of
 * the same run: flat means the pool adds nothing per client to each event's cost.
 */
import { parseArgs } from 'node:util';
import { ScaleServer } from './scale-driver.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1,1000,5000' }, events: { type: 'string', default: '50000' } } });
const SIZES = values.sizes.split(',').map(Number);
const EVENTS = Number(values.events);
const START_CONCURRENCY = 100;

// The built package, as users run it.
const { PushClient } = (await import('../dist/index.js' as string)) as typeof import('../src/index.js');
type Client = InstanceType<typeof PushClient>;

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

interface Row {
  clients: number;
  heapKbPerClient: number;
  rssKbPerClient: number;
  startSeconds: number;
  eventsPerSecond: number;
  cpuUsPerEvent: number;
}

async function measure(n: number): Promise<Row> {
  const server = await ScaleServer.start();
  const [poster, ...users] = await server.users(n + 1);
  const groupId = await server.group([poster!.id, ...users.map((u) => u.id)]);
  let received = 0;
  let expected = Infinity;
  let done = (): void => undefined;

  await settle();
  const m0 = process.memoryUsage();
  const clients: Client[] = users.map((user) => {
    // The pattern: one PushClient per token, nothing else. The axios instance and Node's
    // HTTP agent are already one per process; each client keeps its own REST pacing.
    const client = new PushClient({ token: user.token, ...server.urls });
    client.on('line.create', () => {
      if (++received === expected) done();
    });
    return client;
  });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, n) }, async () => {
    while (next < clients.length) await clients[next++]!.start();
  }));
  const startSeconds = (performance.now() - t0) / 1000;
  await settle();
  const m1 = process.memoryUsage();

  const posts = Math.max(1, Math.ceil(EVENTS / n));
  expected = posts * n;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const cpu0 = process.cpuUsage();
  const e0 = performance.now();
  await server.posts(groupId, poster!.id, posts, 1e9);
  await finished;
  const seconds = (performance.now() - e0) / 1000;
  const cpu = process.cpuUsage(cpu0);

  await Promise.all(clients.map((client) => client.stop()));
  await server.close();
  return {
    clients: n,
    heapKbPerClient: (m1.heapUsed - m0.heapUsed) / n / 1024,
    rssKbPerClient: (m1.rss - m0.rss) / n / 1024,
    startSeconds,
    eventsPerSecond: expected / seconds,
    cpuUsPerEvent: (cpu.user + cpu.system) / expected,
  };
}

const rows: Row[] = [];
for (const n of SIZES) {
  console.error(`${n} clients…`);
  rows.push(await measure(n));
}
const base = rows[0]!;
const fmt = (x: number, digits = 1): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log('| clients in one process | heap per idle client | RSS per idle client | start (all) | events/s | CPU per event | CPU per event vs first row |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.clients.toLocaleString('en-US')} | ${fmt(r.heapKbPerClient)} KB | ${fmt(r.rssKbPerClient)} KB | ${fmt(r.startSeconds)} s | ${fmt(r.eventsPerSecond, 0)} | ${fmt(r.cpuUsPerEvent)} µs | ${fmt(r.cpuUsPerEvent / base.cpuUsPerEvent, 2)} |`);
}
