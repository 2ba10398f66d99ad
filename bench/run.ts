/**
 * npm run bench: the baseline community script and PushClient side by side, on the same
 * look-alike server (in a child process), alternating, several rounds; medians and the
 * ratio PushClient / baseline. Throughput and CPU per event are measured apart, against a
 * bare faye client fed by a publisher faster than either (bench/client-throughput.ts): the
 * look-alike's own faye server cannot publish faster than a client reads. Writes
 * BENCHMARKS.md and bench/results.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PushClientOptions } from '../src/index.js';
import { CommunityScript } from './baseline.js';
import { clientThroughput, type ClientRound } from './client-throughput.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, quick: { type: 'boolean', default: false } },
});
const ROUNDS = Number(values.rounds);
const QUICK = values.quick;
const BURST = QUICK ? 20_000 : 100_000;

// The built package, as users run it (npm run bench builds first): the same code as src,
// without tsx's transpile-time helpers on the hot path.
const { PushClient } = (await import('../dist/index.js' as string)) as typeof import('../src/index.js');

// ---- the server child ----------------------------------------------------------------
let child: ChildProcess;
let seq = 0;
const pending = new Map<number, (value: unknown) => void>();
let urls: { pushUrl: string; apiUrl: string };

async function startServer(): Promise<void> {
  child = fork(fileURLToPath(new URL('./server-child.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  urls = await new Promise((resolve) => {
    child.on('message', (message: { id?: number; result?: unknown; error?: string; ready?: typeof urls }) => {
      if (message.ready) return resolve(message.ready);
      const settle = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.error) throw new Error(message.error);
      settle?.(message.result);
    });
  });
}

function call<T>(command: Record<string, unknown>): Promise<T> {
  const id = ++seq;
  return new Promise((resolve) => {
    pending.set(id, resolve as (value: unknown) => void);
    child.send({ id, command });
  });
}

interface User { id: string; token: string }
const addUser = (name: string): Promise<User> => call<User>({ cmd: 'addUser', name });

// ---- the two sides -----------------------------------------------------------------
interface Side {
  name: 'baseline' | 'pushclient';
  /** Connects as `user` and calls `onMessage(data-or-event)` for each line.create. */
  connect(user: User, onMessage: (sentNs: string, id: string) => void, subscribeAll?: boolean, options?: Partial<PushClientOptions>): Promise<{ stop(): Promise<void>; channels(): number }>;
}

const baseline: Side = {
  name: 'baseline',
  async connect(user, onMessage, subscribeAll = false) {
    const script = new CommunityScript(urls.pushUrl, urls.apiUrl);
    script.ws.on('message', (msg: { type?: string; subject?: { id: string; source_guid?: string; text?: string } }) => {
      if (msg.type === 'line.create' && msg.subject) onMessage(msg.subject.text ?? '', msg.subject.id);
    });
    await script.main(user.token, subscribeAll);
    await Promise.all(script.subscribed);
    return { stop: async () => script.stop(), channels: () => script.acknowledged };
  },
};

const pushclient: Side = {
  name: 'pushclient',
  async connect(user, onMessage, subscribeAll = false, options = {}) {
    const client = new PushClient({ token: user.token, ...urls, subscribeAll, ...options });
    client.on('line.create', (e) => onMessage(e.message.text ?? '', e.message.id));
    await client.start();
    return { stop: () => client.stop(), channels: () => client.channels.length };
  },
};

const sides = [baseline, pushclient];
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---- 2. latency --------------------------------------------------------------------
async function latency(side: Side): Promise<{ p50: number; p99: number; max: number }> {
  const user = await addUser(`lat-${side.name}`);
  const author = await addUser(`lat-author-${side.name}`);
  const group = await call<{ id: string }>({ cmd: 'addGroup', members: [user.id, author.id] });
  const samples: number[] = [];
  const conn = await side.connect(user, (sent) => {
    try { samples.push(Number(process.hrtime.bigint() - BigInt(sent)) / 1e6); } catch (e) { console.error('bad sample', sent, (e as Error).message); }
  });
  await sleep(200);
  await call({ cmd: 'stream', groupId: group.id, authorId: author.id, perSecond: 100, seconds: QUICK ? 2 : 5, restartAfterMs: -1 });
  await sleep(200);
  await conn.stop();
  console.error(`  latency ${side.name}: ${samples.length} samples`);
  const s = samples.sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)]!, p99: s[Math.floor(s.length * 0.99)]!, max: s.at(-1)! };
}

// ---- 3. subscribe-all --------------------------------------------------------------
async function subscribeAll(side: Side, options: Partial<PushClientOptions> = {}): Promise<{ ms: number; requests: number; channels: number }> {
  const user = await addUser(`sa-${side.name}`);
  await call({ cmd: 'world', groups: 500, inactive: 50, chats: 500, userId: user.id });
  const before = await call<number>({ cmd: 'requests' });
  const t0 = performance.now();
  const conn = await side.connect(user, () => undefined, true, options);
  const ms = performance.now() - t0;
  const requests = (await call<number>({ cmd: 'requests' })) - before;
  const channels = conn.channels();
  await conn.stop();
  return { ms, requests, channels };
}

// ---- 4. recovery -------------------------------------------------------------------
type RecoveryResult = Record<Side['name'], { resumeMs: number; publishedAfterRestart: number; deliveredOfThose: number; lost: number }>;

async function recovery(): Promise<RecoveryResult> {
  const author = await addUser('rec-author');
  const users = await Promise.all(sides.map((s) => addUser(`rec-${s.name}`)));
  const group = await call<{ id: string }>({ cmd: 'addGroup', members: [author.id, ...users.map((u) => u.id)] });
  const got = sides.map(() => new Map<string, number>());
  const conns = await Promise.all(sides.map((side, i) => side.connect(users[i]!, (sent, id) => got[i]!.set(id, Number(process.hrtime.bigint() / 1000n) / 1000))));
  const seconds = QUICK ? 6 : 10;
  const { ids, afterRestart, restartAtMs } = await call<{ ids: string[]; afterRestart: string[]; restartAtMs: number }>({
    cmd: 'stream', groupId: group.id, authorId: author.id, perSecond: 50, seconds, restartAfterMs: 2_000,
  });
  await sleep(QUICK ? 3_000 : 6_000); // the baseline resumes on faye's 5 s retry tick; catch-up needs a moment
  await Promise.all(conns.map((c) => c.stop()));
  const result = {} as RecoveryResult;
  sides.forEach((side, i) => {
    const map = got[i]!;
    const firstAfter = Math.min(...[...map.values()].filter((t) => t > restartAtMs));
    result[side.name] = {
      resumeMs: firstAfter - restartAtMs,
      publishedAfterRestart: afterRestart.length,
      deliveredOfThose: afterRestart.filter((id) => map.has(id)).length,
      lost: ids.filter((id) => !map.has(id)).length,
    };
  });
  return result;
}

// ---- 5. memory ---------------------------------------------------------------------
async function memory(side: Side, n: number): Promise<{ heapPerClientKb: number; rssPerClientKb: number }> {
  const users: User[] = [];
  for (let i = 0; i < n; i++) users.push(await addUser(`mem-${side.name}-${n}-${i}`));
  await sleep(300);
  gc();
  const m0 = process.memoryUsage();
  const conns = [];
  for (let i = 0; i < n; i += 50) conns.push(...(await Promise.all(users.slice(i, i + 50).map((u) => side.connect(u, () => undefined)))));
  await sleep(500);
  gc();
  const m1 = process.memoryUsage();
  await Promise.all(conns.map((c) => c.stop()));
  return { heapPerClientKb: (m1.heapUsed - m0.heapUsed) / n / 1024, rssPerClientKb: (m1.rss - m0.rss) / n / 1024 };
}

// ---- run ---------------------------------------------------------------------------
await startServer();
const results: Record<string, unknown> = {
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  node: process.version,
  date: new Date().toISOString(),
  rounds: ROUNDS,
};
/** label, baseline, PushClient, unit, and whether the figures are noise (kept in results.json, not shown as numbers). */
const rows: Array<[string, number, number, string, boolean]> = [];
const put = (label: string, b: number, p: number, unit: string, noise = false): void => void rows.push([label, b, p, unit, noise]);

async function rounds<T>(fn: (side: Side) => Promise<T>): Promise<Record<Side['name'], T[]>> {
  const out = { baseline: [] as T[], pushclient: [] as T[] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which side goes first, so warm-up favours neither.
    for (const side of r % 2 ? [...sides].reverse() : sides) out[side.name].push(await fn(side));
  }
  return out;
}

console.error('throughput…');
// Each client in its own process, alone with the publisher while it reads, the two taking
// turns every 10,000 events (bench/client-throughput.ts).
const tp: Record<string, Record<string, ClientRound[]>> = {};
for (const perFrame of [1, 10]) {
  const result = await clientThroughput({ rounds: Math.max(ROUNDS, 5), count: BURST, perFrame, log: console.error });
  tp[`${perFrame} per frame`] = result;
  const med = (side: string, key: keyof ClientRound): number => median(result[side]!.map((x) => x[key]));
  const frames = perFrame === 1 ? 'one message a frame' : `${perFrame} messages a frame`;
  put(`client throughput, ${frames} (baseline: bare faye)`, med('faye', 'eventsPerSecond'), med('pushclient', 'eventsPerSecond'), 'events/s');
  put(`client CPU per event, ${frames} (baseline: bare faye)`, med('faye', 'cpuUsPerEvent'), med('pushclient', 'cpuUsPerEvent'), 'µs');
}
console.error('latency…');
const lat = await rounds(latency);
put('latency p50 at 100 msg/s', median(lat.baseline.map((x) => x.p50)), median(lat.pushclient.map((x) => x.p50)), 'ms');
put('latency p99', median(lat.baseline.map((x) => x.p99)), median(lat.pushclient.map((x) => x.p99)), 'ms');
put('latency max', median(lat.baseline.map((x) => x.max)), median(lat.pushclient.map((x) => x.max)), 'ms');
console.error('subscribe-all…');
const sa = await rounds(subscribeAll);
put('subscribe-all: start() to all acknowledged', median(sa.baseline.map((x) => x.ms)), median(sa.pushclient.map((x) => x.ms)), 'ms');
const relaxed: number[] = [];
for (let r = 0; r < ROUNDS; r++) relaxed.push((await subscribeAll(pushclient, { restRateLimit: { perSecond: 100, burst: 100 } })).ms);
put('subscribe-all, REST pacing relaxed to 100/s', median(sa.baseline.map((x) => x.ms)), median(relaxed), 'ms');
put('subscribe-all: REST requests', median(sa.baseline.map((x) => x.requests)), median(sa.pushclient.map((x) => x.requests)), 'requests');
put('subscribe-all: channels subscribed (of 951)', median(sa.baseline.map((x) => x.channels)), median(sa.pushclient.map((x) => x.channels)), 'channels');
console.error('recovery…');
const rec: Array<Awaited<ReturnType<typeof recovery>>> = [];
for (let r = 0; r < Math.min(ROUNDS, 2); r++) rec.push(await recovery());
put('recovery: restart to events flowing again', median(rec.map((x) => x.baseline.resumeMs)), median(rec.map((x) => x.pushclient.resumeMs)), 'ms');
// A share per round: rounds publish a message more or less, and a median of counts against one round's total can read above 100%.
const deliveredShare = (x: RecoveryResult[Side['name']]): number => (100 * x.deliveredOfThose) / Math.max(1, x.publishedAfterRestart);
put('recovery: delivered of the messages published after the restart', median(rec.map((x) => deliveredShare(x.baseline))), median(rec.map((x) => deliveredShare(x.pushclient))), '%');
put('recovery: messages lost (of those streamed)', median(rec.map((x) => x.baseline.lost)), median(rec.map((x) => x.pushclient.lost)), 'messages');
console.error('memory…');
const mem: Record<string, unknown> = {};
for (const n of QUICK ? [1, 100] : [1, 100, 1000]) {
  const b = await memory(baseline, n);
  const p = await memory(pushclient, n);
  mem[n] = { baseline: b, pushclient: p };
  // One client weighs less than what a GC frees between the two readings, so its figure is
  // noise (negative as often as not): the table says so instead of printing it, as
  // bench/pool.ts's README table does.
  const noise = n === 1;
  const clients = `${n.toLocaleString('en')} ${n === 1 ? 'client' : 'clients'}`;
  put(`memory with ${clients}: heap per client`, b.heapPerClientKb, p.heapPerClientKb, 'KB', noise);
  put(`memory with ${clients}: RSS per client`, b.rssPerClientKb, p.rssPerClientKb, 'KB', noise);
}
await call({ cmd: 'close' });

Object.assign(results, { throughput: tp, latency: lat, subscribeAll: sa, recovery: rec, memory: mem, table: rows });
const fmt = (x: number | undefined): string => x === undefined || !Number.isFinite(x) ? String(x) : (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(2));
const table = [
  '| figure | baseline | PushClient | PushClient / baseline |',
  '|---|---:|---:|---:|',
  ...rows.map(([label, b, p, unit, noise]) =>
    noise ? `| ${label} | (noise) | (noise) | — |` : `| ${label} | ${fmt(b)} ${unit} | ${fmt(p)} ${unit} | ${!b ? '—' : (p / b).toFixed(2)} |`,
  ),
].join('\n');
console.log(table);
if (!QUICK) {
  writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), `# Benchmarks\n\nMeasured by \`npm run bench\` on ${results.machine as string}, Node ${process.version}, ${(results.date as string).slice(0, 10)}. The client rows (throughput, CPU per event) come from \`bench/client-throughput.ts\` (\`npm run bench:client\`): a bare faye client and PushClient, each in its own process, fed prebuilt Bayeux frames by a publisher in a third process as fast as they read them, taking turns every 10,000 events, ${Math.max(ROUNDS, 5)} rounds of ${BURST.toLocaleString('en')} events each; medians. The other rows run the script of the GroupMe community docs' push page (groupme-js/GroupMeCommunityDocs, docs/push.md) and PushClient in one process against the same look-alike server (its own process), alternating, ${ROUNDS} rounds; medians. Raw numbers: \`bench/results.json\`.\n\n${table}\n\n${readFileSync(new URL('./notes.md', import.meta.url), 'utf8')}`);
}
process.exit(0);
