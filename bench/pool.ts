/**
 * npm run bench:pool -- [--sizes 1,1000,5000] [--events 50000] [--sides faye,pushclient] [--prof <dir>]
 *
 * Many clients in one process, against the look-alike server in its own process: heap and
 * RSS per connected idle client, then events/s and CPU per event while every client
 * receives the same posts in one group. Each size is measured twice, with N bare faye
 * clients (the token extension and one `/user` subscription: the floor under any
 * faye-based client) and with N PushClients, so that what N sockets cost faye and the
 * machine is told apart from what PushClient adds per event as N grows. Each client's
 * first message is measured apart (the "first message" column), then the rest of the
 * events. `--prof <dir>` writes a CPU profile of that second phase alone
 * (`<side>-<N>.cpuprofile`), to compare sizes function by function.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import faye, { type BayeuxMessage, type ExtensionCallback } from 'faye';
import { tearDownFayeClient } from '../src/transport/teardown.js';
import { ScaleServer } from './scale-driver.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,1000,5000' },
    events: { type: 'string', default: '50000' },
    sides: { type: 'string', default: 'faye,pushclient' },
    prof: { type: 'string' },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const EVENTS = Number(values.events);
const SIDES = values.sides.split(',') as Side[];
const START_CONCURRENCY = 100;

// The built package, as users run it.
const { PushClient } = (await import('../dist/index.js' as string)) as typeof import('../src/index.js');

type Side = 'faye' | 'pushclient';
type User = { id: string; token: string };
interface Started {
  stop(): Promise<void>;
}
/** Builds a client (cheap, synchronous) and returns how to start it. */
type Build = (user: User, urls: ScaleServer['urls'], onMessage: () => void) => () => Promise<Started>;

const buildPushClient: Build = (user, urls, onMessage) => {
  // The pattern: one PushClient per token, nothing else. The axios instance and Node's
  // HTTP agent are already one per process; each client keeps its own REST pacing.
  const client = new PushClient({ token: user.token, ...urls });
  client.on('line.create', () => onMessage());
  return async () => {
    // Live events are held until the first catch-up has listed the conversations: a client
    // counts as started once it has, or the first posts would measure the holding path.
    const caughtUp = new Promise((resolve) => client.once('catch-up', resolve));
    await client.start();
    await caughtUp;
    return { stop: () => client.stop() };
  };
};

const buildFaye: Build = (user, urls, onMessage) => {
  const client = new faye.Client(urls.pushUrl);
  client.addExtension({
    outgoing: (message: BayeuxMessage, callback: ExtensionCallback) => {
      if (message.channel === '/meta/subscribe') message.ext = { ...message.ext, access_token: user.token, timestamp: Math.floor(Date.now() / 1000) };
      callback(message);
    },
  });
  return async () => {
    await new Promise<void>((resolve, reject) => {
      client
        .subscribe(`/user/${user.id}`, (data) => {
          if ((data as { type?: string }).type === 'line.create') onMessage();
        })
        .then(() => resolve(), (error: unknown) => reject(error));
    });
    return { stop: async () => tearDownFayeClient(client) };
  };
};

const BUILDERS: Record<Side, Build> = { faye: buildFaye, pushclient: buildPushClient };

async function startProfile(): Promise<{ save(path: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async save(path) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, JSON.stringify(profile));
    },
  };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

interface Row {
  side: Side;
  clients: number;
  heapKbPerClient: number;
  rssKbPerClient: number;
  startSeconds: number;
  /** CPU per event of each client's first message. */
  coldCpuUsPerEvent: number;
  eventsPerSecond: number;
  cpuUsPerEvent: number;
}

async function measure(side: Side, n: number): Promise<Row> {
  const server = await ScaleServer.start();
  const [poster, ...users] = await server.users(n + 1);
  const groupId = await server.group([poster!.id, ...users.map((u) => u.id)]);
  let received = 0;
  let expected = Infinity;
  let done = (): void => undefined;
  const onMessage = (): void => {
    if (++received === expected) done();
  };

  await settle();
  const m0 = process.memoryUsage();
  const starts = users.map((user) => BUILDERS[side](user, server.urls, onMessage));
  const clients: Started[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, n) }, async () => {
    while (next < starts.length) clients.push(await starts[next++]!());
  }));
  const startSeconds = (performance.now() - t0) / 1000;
  await settle();
  const m1 = process.memoryUsage();

  // Each client's first message costs more than the ones after (its conversation, cursor
  // and dedupe buffers are created then), and with 50,000 events shared by 5,000 clients it
  // would weigh on 10 events each: it is measured apart, as the cold row.
  const phase = async (posts: number, profile: boolean): Promise<{ seconds: number; cpuUs: number; events: number }> => {
    received = 0;
    expected = posts * n;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const profiler = profile && values.prof !== undefined ? await startProfile() : undefined;
    const cpu0 = process.cpuUsage();
    const e0 = performance.now();
    await server.posts(groupId, poster!.id, posts, 1e9);
    await finished;
    const seconds = (performance.now() - e0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (profiler) await profiler.save(join(values.prof!, `${side}-${n}.cpuprofile`));
    return { seconds, cpuUs: cpu.user + cpu.system, events: expected };
  };
  const cold = await phase(1, false);
  const warm = await phase(Math.max(1, Math.ceil(EVENTS / n)), true);

  await Promise.all(clients.map((client) => client.stop()));
  await server.close();
  return {
    side,
    clients: n,
    heapKbPerClient: (m1.heapUsed - m0.heapUsed) / n / 1024,
    rssKbPerClient: (m1.rss - m0.rss) / n / 1024,
    startSeconds,
    coldCpuUsPerEvent: cold.cpuUs / cold.events,
    eventsPerSecond: warm.events / warm.seconds,
    cpuUsPerEvent: warm.cpuUs / warm.events,
  };
}

const rows: Row[] = [];
for (const n of SIZES) {
  for (const side of SIDES) {
    console.error(`${n} clients, ${side}…`);
    rows.push(await measure(side, n));
  }
}
const fmt = (x: number, digits = 1): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const firstOf = (side: Side): Row => rows.find((r) => r.side === side)!;
const fayeAt = (n: number): Row | undefined => rows.find((r) => r.side === 'faye' && r.clients === n);
console.log('| clients in one process | client | heap per idle client | RSS per idle client | start (all) | first message, CPU per event | events/s | CPU per event | vs its first row | vs bare faye, same N |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const bare = fayeAt(r.clients);
  const vsFaye = r.side !== 'faye' && bare ? fmt(r.cpuUsPerEvent / bare.cpuUsPerEvent, 2) : '–';
  console.log(
    `| ${r.clients.toLocaleString('en-US')} | ${r.side === 'faye' ? 'bare faye' : 'PushClient'} | ${fmt(r.heapKbPerClient)} KB | ${fmt(r.rssKbPerClient)} KB | ${fmt(r.startSeconds)} s | ${fmt(r.coldCpuUsPerEvent)} µs | ${fmt(r.eventsPerSecond, 0)} | ${fmt(r.cpuUsPerEvent)} µs | ${fmt(r.cpuUsPerEvent / firstOf(r.side).cpuUsPerEvent, 2)} | ${vsFaye} |`,
  );
}
