/**
 * npm run bench:relay -- [--accounts 50] [--burst 400] [--rate 50] [--seconds 10]
 *
 * The relay end to end: the look-alike server (its own process) → `groupme-push relay`
 * child processes (the built bin) → a real redis-server → the stream. Rows: events/s into
 * the stream with 1 and 2 replicas, latency from publish to stream entry (the entry id's
 * time, Redis's clock on this same machine), and after a replica is killed with SIGKILL,
 * the entries missing and doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { RedisServer } from '../test/redis/redis-server.js';
import { ScaleServer } from './scale-driver.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '50' },
    burst: { type: 'string', default: '400' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
  },
});
const ACCOUNTS = Number(values.accounts);
const BURST = Number(values.burst);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const STREAM = 'groupme:events';

const redisServer = await RedisServer.start();
const redis = new Redis(redisServer.url);
const server = await ScaleServer.start();
const [poster, ...accounts] = await server.users(ACCOUNTS + 1);
const groupId = await server.group([poster!.id, ...accounts.map((a) => a.id)]);
const dir = await mkdtemp(join(tmpdir(), 'bench-relay-'));
const tokenFile = join(dir, 'tokens.txt');
await writeFile(tokenFile, accounts.map((a) => a.token).join('\n'));

/**
 * Started relays hold live events until each account's catch-up has walked its
 * conversations: a warm-up post must reach the stream from every account before measuring.
 */
async function warmUp(): Promise<void> {
  const [probe] = await server.posts(groupId, poster!.id, 1, 1);
  for (;;) {
    const entries = (await redis.xrange(STREAM, '-', '+')) as [string, string[]][];
    if (entries.filter(([, fields]) => fields[fields.indexOf('id') + 1] === probe!.id).length >= ACCOUNTS) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await redis.del(STREAM);
}

function startRelay(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'relay', '--redis', redisServer.url, '--token-file', tokenFile, '--push-url', server.urls.pushUrl, '--api-url', server.urls.apiUrl, '--type', 'line.create', '--status-seconds', '3600'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/relaying \d+ accounts/.test(stderr)) resolve(child);
    });
    child.once('exit', () => reject(new Error(`the relay exited: ${stderr}`)));
  });
}

async function stopRelays(relays: ChildProcess[]): Promise<void> {
  await Promise.all(relays.map((relay) => {
    if (relay.exitCode !== null || relay.signalCode !== null) return undefined;
    const exited = new Promise((resolve) => relay.once('exit', resolve));
    relay.kill('SIGKILL');
    return exited;
  }));
}

/** Every entry as account/message with its entry time, polled until `expected` are in or it stops growing for 5 s. */
async function collect(expected: number): Promise<{ pair: string; id: string; atMs: number }[]> {
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const length = await redis.xlen(STREAM);
    if (length !== last) stableSince = Date.now();
    last = length;
    if (length >= expected || Date.now() - stableSince > 5_000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const entries = (await redis.xrange(STREAM, '-', '+')) as [string, string[]][];
  return entries.map(([entryId, fields]) => {
    const field = (name: string): string => fields[fields.indexOf(name) + 1]!;
    return { pair: `${field('account')}/${field('id')}`, id: field('id'), atMs: Number(entryId.split('-')[0]) };
  });
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function throughput(replicas: number): Promise<number> {
  await redis.flushall();
  const relays = await Promise.all(Array.from({ length: replicas }, startRelay));
  await warmUp();
  const sent = await server.posts(groupId, poster!.id, BURST, 1e9);
  const entries = await collect(BURST * ACCOUNTS);
  await stopRelays(relays);
  const lastMs = Math.max(...entries.map((e) => e.atMs));
  return entries.length / ((lastMs - sent[0]!.atMs) / 1000);
}

async function latency(replicas: number): Promise<{ p50: number; p99: number }> {
  await redis.flushall();
  const relays = await Promise.all(Array.from({ length: replicas }, startRelay));
  await warmUp();
  const sent = await server.posts(groupId, poster!.id, RATE * SECONDS, RATE);
  const publishedAt = new Map(sent.map((s) => [s.id, s.atMs]));
  const entries = await collect(sent.length * ACCOUNTS);
  await stopRelays(relays);
  const lags = entries.map((e) => e.atMs - publishedAt.get(e.id)!);
  return { p50: percentile(lags, 50), p99: percentile(lags, 99) };
}

async function killOne(): Promise<{ expected: number; missing: number; doubled: number }> {
  await redis.flushall();
  const relays = await Promise.all([startRelay(), startRelay()]);
  await warmUp();
  setTimeout(() => relays[0]!.kill('SIGKILL'), (SECONDS * 1000) / 2);
  const sent = await server.posts(groupId, poster!.id, RATE * SECONDS, RATE);
  const expected = sent.length * ACCOUNTS;
  const entries = await collect(expected);
  await stopRelays(relays);
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.pair, (counts.get(e.pair) ?? 0) + 1);
  let missing = 0;
  for (const s of sent) for (const a of accounts) if (!counts.has(`${a.id}/${s.id}`)) missing++;
  return { expected, missing, doubled: [...counts.values()].filter((n) => n > 1).length };
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rows: string[] = [];
console.error('throughput…');
const tp1 = await throughput(1);
const tp2 = await throughput(2);
rows.push(`| events/s into the stream, burst of ${fmt(BURST * ACCOUNTS)} (${BURST} posts × ${ACCOUNTS} accounts) | ${fmt(tp1)} | ${fmt(tp2)} | ${(tp2 / tp1).toFixed(2)} |`);
console.error('latency…');
const l1 = await latency(1);
const l2 = await latency(2);
rows.push(`| publish → stream entry p50 at ${RATE} posts/s × ${ACCOUNTS} accounts | ${fmt(l1.p50)} ms | ${fmt(l2.p50)} ms | ${(l2.p50 / Math.max(1, l1.p50)).toFixed(2)} |`);
rows.push(`| publish → stream entry p99 | ${fmt(l1.p99)} ms | ${fmt(l2.p99)} ms | ${(l2.p99 / Math.max(1, l1.p99)).toFixed(2)} |`);
console.error('kill a replica…');
const killed = await killOne();
rows.push(`| one of 2 replicas SIGKILLed mid-stream: entries missing / doubled (of ${fmt(killed.expected)}) | – | ${killed.missing} / ${killed.doubled} | – |`);

console.log('| figure | 1 replica | 2 replicas | 2 / 1 |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(row);

redis.disconnect();
await server.close();
await redisServer.close();
await rm(dir, { recursive: true, force: true });
