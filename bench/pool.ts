/**
 * npm run bench:pool -- [--sizes 1,1000,5000] [--events 50000] [--sides faye,pushclient] [--rounds 1] [--previous <dist>] [--prof <dir>]
 *
 * Many clients in one process, against the look-alike server in its own process: heap and
 * RSS per connected idle client, then events/s and CPU per event while every client
 * receives the same posts in one group. Each size is measured twice, with N bare faye
 * clients (the token extension and one `/user` subscription: the floor under any
 * faye-based client) and with N PushClients, so that what N sockets cost faye and the
 * machine is told apart from what PushClient adds per event as N grows. Each client's
 * first message is measured apart (the "first message" column), then the rest of the
 * events. `--prof <dir>` writes a CPU profile of that second phase alone
 * (`<side>-<N>.cpuprofile`), to compare sizes function by function. `--rounds n` measures
 * each size n times, the sides in a rotating order, and reports medians (the ratio to bare
 * faye is the median of each round's ratio: the two sides measured minutes apart, not
 * hours). `--previous <dist>` adds a side: PushClient from another build (a copy of dist/),
 * for a before/after in the same rounds. `--sides faye,padded,scattered,chained,allocating,retaining`
 * adds five calibrations (see `buildPadded`, `buildScattered`, `buildChained`,
 * `buildAllocating` and `buildRetaining`). "GC per event" is
 * the main thread's time in garbage-collection pauses during the measured phase, per event.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import faye, { type BayeuxMessage, type ExtensionCallback } from 'faye';
import { tearDownFayeClient } from '../src/transport/teardown.js';
import { ScaleServer } from './scale-driver.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,1000,5000' },
    events: { type: 'string', default: '50000' },
    sides: { type: 'string', default: 'faye,pushclient' },
    rounds: { type: 'string', default: '1' },
    previous: { type: 'string' },
    prof: { type: 'string' },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const EVENTS = Number(values.events);
const SIDES = [...(values.sides.split(',') as Side[]), ...(values.previous ? ['previous' as const] : [])];
const ROUNDS = Math.max(1, Number(values.rounds));
const START_CONCURRENCY = 100;

type PushClientClass = typeof import('../src/index.js').PushClient;
// The built package, as users run it.
const { PushClient } = (await import('../dist/index.js' as string)) as typeof import('../src/index.js');
const previousBuild = values.previous ? ((await import(pathToFileURL(join(process.cwd(), values.previous, 'index.js')).href)) as typeof import('../src/index.js')).PushClient : undefined;

type Side = 'faye' | 'pushclient' | 'previous' | 'padded' | 'scattered' | 'chained' | 'allocating' | 'retaining';
type User = { id: string; token: string };
interface Started {
  stop(): Promise<void>;
}
/** Builds a client (cheap, synchronous) and returns how to start it. */
type Build = (user: User, urls: ScaleServer['urls'], onMessage: (data?: unknown) => void) => () => Promise<Started>;

const buildPushClient = (Client: PushClientClass): Build => (user, urls, onMessage) => {
  // The pattern: one PushClient per token, nothing else. The axios instance and Node's
  // HTTP agent are already one per process; each client keeps its own REST pacing.
  const client = new Client({ token: user.token, ...urls });
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
          if ((data as { type?: string }).type === 'line.create') onMessage(data);
        })
        .then(() => resolve(), (error: unknown) => reject(error));
    });
    return { stop: async () => tearDownFayeClient(client) };
  };
};

// Calibrations, bare faye with one thing of PushClient's added, to tell which of them
// makes CPU per event grow with N (README, "Many accounts in one process"):
// `padded`, ~8 KB more live objects a client, never touched per event (PushClient's extra footprint);
// `scattered`, 40 small objects a client (each ~100 bytes, a cache line of its own), read and
// written by every event, allocated round-robin across the clients so that no two of one
// client's objects are neighbours, as a long-lived client's objects end up;
// `chained`, the same 40 objects, each reached through the one before, as an event reaches
// PushClient's objects: every load waits on the previous one.
const retained: unknown[] = [];
const buildPadded: Build = (user, urls, onMessage) => {
  const start = buildFaye(user, urls, onMessage);
  return async () => {
    const started = await start();
    const pad = new Map<number, { a: number; b: string; c: number[] }>();
    for (let i = 0; i < 60; i++) pad.set(i, { a: i, b: String(i), c: [i, i + 1] });
    retained.push(pad);
    return started;
  };
};

interface Touched {
  a: number;
}
const unfilled: Touched[][] = [];
let touchedSum = 0;
const buildScattered: Build = (user, urls, onMessage) => {
  const own: Touched[] = [];
  // Clients are built in one synchronous sweep; their objects are made once it is done.
  if (unfilled.length === 0) {
    setImmediate(() => {
      for (let k = 0; k < 40; k++) for (const list of unfilled) list.push({ a: k, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0, i: 0, j: 0 } as Touched);
      unfilled.length = 0;
    });
  }
  unfilled.push(own);
  return buildFaye(user, urls, () => {
    for (let i = 0; i < own.length; i++) touchedSum += own[i]!.a++;
    onMessage();
  });
};

interface Link {
  a: number;
  next: Link | null;
}
const unlinked: Array<{ head: Link | null }> = [];
const buildChained: Build = (user, urls, onMessage) => {
  const own: { head: Link | null } = { head: null };
  if (unlinked.length === 0) {
    setImmediate(() => {
      // Made round-robin like `scattered`, but each reached through the one before it.
      const tails = unlinked.map(() => null as Link | null);
      for (let k = 0; k < 40; k++) {
        unlinked.forEach((chain, c) => {
          const link = { a: k, next: null, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0, i: 0 } as Link;
          if (tails[c]) tails[c]!.next = link;
          else chain.head = link;
          tails[c] = link;
        });
      }
      unlinked.length = 0;
    });
  }
  unlinked.push(own);
  return buildFaye(user, urls, () => {
    for (let link = own.head; link; link = link.next) touchedSum += link.a++;
    onMessage();
  });
};

/** Kept from each event to the next, so that the compiler cannot drop the allocation. */
let allocatedLast: unknown;
/**
 * `allocating`, bare faye that allocates per event what PushClient's parse does (an event,
 * its message of some twenty fields, an attachments list and two `Date`s, ~600 bytes) and
 * drops it at the next: no state of its own, only young-generation churn.
 */
const buildAllocating: Build = (user, urls, onMessage) =>
  buildFaye(user, urls, () => {
    const now = Date.now();
    const message = {
      id: String(now), groupId: '1', chatId: null, conversation: 'group', userId: '2', senderId: '2', senderType: 'user', name: 'Poster', avatarUrl: null,
      text: 'hi', createdAt: new Date(now), attachments: [] as unknown[], sourceGuid: 'g', system: false, favoritedBy: [] as string[], reactions: [] as unknown[],
      platform: null, pinnedAt: null, updatedAt: null, deletedAt: null, raw: null,
    };
    allocatedLast = { type: 'line.create', channel: null, message, alert: 'hi', receivedAt: new Date(now), raw: message };
    onMessage();
  });

/**
 * `retaining`, bare faye that keeps each event's message id (a fresh string from the
 * payload) in a long-lived object of its client until the next event, as a cursor does: one
 * old-to-young pointer per client, which every young collection must follow and copy.
 */
const buildRetaining: Build = (user, urls, onMessage) => {
  const holder = { id: '' };
  retained.push(holder);
  return buildFaye(user, urls, (data) => {
    const id = (data as { subject?: { id?: unknown } }).subject?.id;
    if (typeof id === 'string' && id > holder.id) holder.id = id;
    onMessage();
  });
};

const BUILDERS: Record<Side, Build | undefined> = {
  retaining: buildRetaining,
  padded: buildPadded,
  allocating: buildAllocating,
  scattered: buildScattered,
  chained: buildChained,
  faye: buildFaye,
  pushclient: buildPushClient(PushClient),
  previous: previousBuild && buildPushClient(previousBuild),
};
const LABELS: Record<Side, string> = { retaining: 'bare faye + a message id kept a client', allocating: 'bare faye + a parse\'s allocations an event', padded: 'bare faye + 8 KB a client', scattered: 'bare faye + 40 lines an event', chained: 'bare faye + a chain of 40 lines an event', faye: 'bare faye', pushclient: 'PushClient', previous: `PushClient (${values.previous})` };

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
  gcUsPerEvent: number;
  round: number;
}

/** Main-thread time in GC pauses from now until `stop()`, in ms. */
function watchGc(): { stop(): number } {
  let ms = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) ms += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      // Entries are delivered asynchronously; the ones already queued are taken here.
      for (const entry of observer.takeRecords()) ms += entry.duration;
      observer.disconnect();
      return ms;
    },
  };
}

async function measure(side: Side, n: number, round: number): Promise<Row> {
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
  const build = BUILDERS[side]!;
  const starts = users.map((user) => build(user, server.urls, onMessage));
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
  const phase = async (posts: number, profile: boolean): Promise<{ seconds: number; cpuUs: number; gcUs: number; events: number }> => {
    received = 0;
    expected = posts * n;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const profiler = profile && values.prof !== undefined ? await startProfile() : undefined;
    const gcWatch = watchGc();
    const cpu0 = process.cpuUsage();
    const e0 = performance.now();
    await server.posts(groupId, poster!.id, posts, 1e9);
    await finished;
    const seconds = (performance.now() - e0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const gcUs = gcWatch.stop() * 1000;
    if (profiler) await profiler.save(join(values.prof!, `${side}-${n}${ROUNDS > 1 ? `-${round}` : ''}.cpuprofile`));
    return { seconds, cpuUs: cpu.user + cpu.system, gcUs, events: expected };
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
    gcUsPerEvent: warm.gcUs / warm.events,
    round,
  };
}

const rows: Row[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const n of SIZES) {
    // A rotating order, so that no side always runs first (on a cold machine) or last.
    const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]!);
    for (const side of order) {
      console.error(`round ${round + 1}/${ROUNDS}: ${n} clients, ${LABELS[side]}…`);
      rows.push(await measure(side, n, round));
    }
  }
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (x: number, digits = 1): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const of = (side: Side, n: number): Row[] => rows.filter((r) => r.side === side && r.clients === n);
const med = (side: Side, n: number, field: keyof Omit<Row, 'side'>): number => median(of(side, n).map((r) => r[field]));
/** Each round's CPU per event of `side` divided by bare faye's in the same round. */
const roundRatios = (side: Side, n: number): number[] =>
  of(side, n).flatMap((r) => {
    const bare = rows.find((b) => b.side === 'faye' && b.clients === n && b.round === r.round);
    return bare ? [r.cpuUsPerEvent / bare.cpuUsPerEvent] : [];
  });
/** The median of the per-round ratios, with their range when there are several rounds. */
const vsFaye = (side: Side, n: number): string => {
  const ratios = roundRatios(side, n);
  if (side === 'faye' || ratios.length === 0) return '–';
  const range = ROUNDS < 2 ? '' : ` (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})`;
  return fmt(median(ratios), 2) + range;
};
console.log(`${ROUNDS > 1 ? `Medians of ${ROUNDS} rounds. ` : ''}\n`);
console.log('| clients in one process | client | heap per idle client | RSS per idle client | start (all) | first message, CPU per event | events/s | CPU per event | GC per event | vs its first row | vs bare faye, same N |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of SIZES) {
  for (const side of SIDES) {
    const cpu = med(side, n, 'cpuUsPerEvent');
    console.log(
      `| ${n.toLocaleString('en-US')} | ${LABELS[side]} | ${fmt(med(side, n, 'heapKbPerClient'))} KB | ${fmt(med(side, n, 'rssKbPerClient'))} KB | ${fmt(med(side, n, 'startSeconds'))} s | ${fmt(med(side, n, 'coldCpuUsPerEvent'))} µs | ${fmt(med(side, n, 'eventsPerSecond'), 0)} | ${fmt(cpu)} µs | ${fmt(med(side, n, 'gcUsPerEvent'), 2)} µs | ${fmt(cpu / med(side, SIZES[0]!, 'cpuUsPerEvent'), 2)} | ${vsFaye(side, n)} |`,
    );
  }
}
