/**
 * What the client itself costs per event: a bare faye client and PushClient fed by a
 * publisher that outpaces both (bench/publisher-child.ts, its own process), alternating,
 * several rounds; medians of events/s and of the client process's CPU per event.
 *
 * npm run bench:client [-- --rounds 7 --count 100000 --per-frame 1,10 --side pushclient --src --previous <dir>]
 * `--side` runs one side only (for `node --cpu-prof`); `--src` measures src/ through tsx
 * instead of the built dist/; `--previous` adds a third side, the PushClient of another
 * build (a copy of dist/ taken before a change), so a change is measured against what it
 * replaces in the same alternating rounds rather than across two noisy runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import faye, { type BayeuxMessage, type ExtensionCallback } from 'faye';
import type { PushClient as PushClientClass } from '../src/index.js';
import { tearDownFayeClient } from '../src/transport/teardown.js';
import { TOKEN, USER_ID } from './publisher-constants.js';

export interface ClientRound {
  readonly eventsPerSecond: number;
  readonly cpuUsPerEvent: number;
}

export interface ClientThroughputOptions {
  readonly rounds: number;
  /** Events per round. */
  readonly count: number;
  /** `line.create` messages per WebSocket frame (GroupMe may send several in one). */
  readonly perFrame: number;
  readonly PushClient: typeof PushClientClass;
  /** Another build's PushClient, measured as the side `previous`. */
  readonly previous?: typeof PushClientClass;
  readonly sides?: readonly SideName[];
  readonly log?: (line: string) => void;
}

export type SideName = 'faye' | 'pushclient' | 'previous';
type Urls = { pushUrl: string; apiUrl: string };

// ---- the publisher child --------------------------------------------------------------
class Publisher {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #seq = 0;
  readonly urls: Promise<Urls>;

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./publisher-child.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    this.urls = new Promise((resolve) => {
      this.#child.on('message', (message: { id?: number; result?: unknown; error?: string; ready?: Urls }) => {
        if (message.ready) return resolve(message.ready);
        const settle = this.#pending.get(message.id!);
        this.#pending.delete(message.id!);
        if (message.error) settle?.reject(new Error(message.error));
        else settle?.resolve(message.result);
      });
    });
  }

  call<T>(command: Record<string, unknown>): Promise<T> {
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, command });
    });
  }

  async close(): Promise<void> {
    await this.call({ cmd: 'close' });
  }
}

// ---- the two sides: each counts the line.create events it is handed -------------------
interface Connected {
  stop(): Promise<void>;
}

type Connect = (urls: Urls, onEvent: () => void) => Promise<Connected>;

/** A faye client as a script would hold one: the token extension, one subscription, a listener that reads the id. */
const fayeSide: Connect = async (urls, onEvent) => {
  const client = new faye.Client(urls.pushUrl);
  client.addExtension({
    outgoing: (message: BayeuxMessage, callback: ExtensionCallback) => {
      if (message.channel === '/meta/subscribe') message.ext = { ...message.ext, access_token: TOKEN, timestamp: Math.floor(Date.now() / 1000) };
      callback(message);
    },
  });
  await new Promise<void>((resolve, reject) => {
    client
      .subscribe(`/user/${USER_ID}`, (message) => {
        const data = message as { type?: string; subject?: { id?: string } };
        if (data.type === 'line.create' && data.subject?.id !== undefined) onEvent();
      })
      .then(() => resolve(), (error: unknown) => reject(error));
  });
  return { stop: async () => tearDownFayeClient(client) };
};

function pushClientSide(PushClient: typeof PushClientClass): Connect {
  return async (urls, onEvent) => {
    const client = new PushClient({ token: TOKEN, ...urls });
    client.on('line.create', (event) => {
      if (event.message.id !== '') onEvent();
    });
    // Live events are held until the first catch-up has listed the conversations.
    const caughtUp = new Promise((resolve) => client.once('catch-up', resolve));
    await client.start();
    await caughtUp;
    return { stop: () => client.stop() };
  };
}

// ---- measuring ------------------------------------------------------------------------
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** (max − min) / median, in percent: how far apart the rounds were. */
export const spread = (xs: readonly number[]): number => ((Math.max(...xs) - Math.min(...xs)) / median(xs)) * 100;

async function round(publisher: Publisher, urls: Urls, connect: Connect, count: number, perFrame: number): Promise<ClientRound> {
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const conn = await connect(urls, () => {
    if (++received === count) done();
  });
  await publisher.call({ cmd: 'prepare', count, perFrame });
  gc();
  await sleep(100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sent = publisher.call({ cmd: 'go' });
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await sent;
  await conn.stop();
  return { eventsPerSecond: count / seconds, cpuUsPerEvent: (cpu.user + cpu.system) / count };
}

/** Alternates the sides round by round (the first side swaps each round, so warm-up favours neither). */
export async function clientThroughput(options: ClientThroughputOptions): Promise<Record<SideName, ClientRound[]>> {
  const publisher = new Publisher();
  const urls = await publisher.urls;
  const connects: Partial<Record<SideName, Connect>> = { faye: fayeSide, pushclient: pushClientSide(options.PushClient) };
  if (options.previous) connects.previous = pushClientSide(options.previous);
  const names = options.sides ?? (Object.keys(connects) as SideName[]);
  const out: Record<SideName, ClientRound[]> = { faye: [], pushclient: [], previous: [] };
  try {
    // One short unmeasured round each, so the first measured round is not also the JIT's first.
    for (const name of names) await round(publisher, urls, connects[name]!, Math.min(options.count, 20_000), options.perFrame);
    for (let r = 0; r < options.rounds; r++) {
      for (const name of r % 2 ? [...names].reverse() : names) {
        const result = await round(publisher, urls, connects[name]!, options.count, options.perFrame);
        out[name].push(result);
        options.log?.(`  ${options.perFrame}/frame round ${r + 1} ${name}: ${Math.round(result.eventsPerSecond)} events/s, ${result.cpuUsPerEvent.toFixed(2)} µs/event`);
      }
    }
  } finally {
    await publisher.close();
  }
  return out;
}

// ---- standalone -----------------------------------------------------------------------
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      count: { type: 'string', default: '100000' },
      'per-frame': { type: 'string', default: '1,10' },
      side: { type: 'string' },
      src: { type: 'boolean', default: false },
      previous: { type: 'string' },
    },
  });
  const { PushClient } = (values.src
    ? await import('../src/index.js')
    : await import('../dist/index.js' as string)) as typeof import('../src/index.js');
  const previous = values.previous
    ? ((await import(pathToFileURL(resolve(values.previous, 'index.js')).href)) as typeof import('../src/index.js')).PushClient
    : undefined;
  const sides = values.side ? [values.side as SideName] : undefined;
  for (const perFrame of values['per-frame'].split(',').map(Number)) {
    const result = await clientThroughput({ rounds: Number(values.rounds), count: Number(values.count), perFrame, PushClient, previous, sides, log: console.error });
    const row = (name: SideName): string => {
      const rounds = result[name];
      if (rounds.length === 0) return '';
      const eps = rounds.map((x) => x.eventsPerSecond);
      const cpu = rounds.map((x) => x.cpuUsPerEvent);
      return `${name}: ${Math.round(median(eps))} events/s (spread ${spread(eps).toFixed(0)}%), ${median(cpu).toFixed(2)} µs CPU/event (spread ${spread(cpu).toFixed(0)}%)`;
    };
    console.log(`${perFrame} per frame`);
    for (const name of ['faye', 'pushclient', 'previous'] as const) if (result[name].length) console.log(`  ${row(name)}`);
    for (const name of ['pushclient', 'previous'] as const) {
      if (!result.faye.length || !result[name].length) continue;
      const ratios = result[name].map((p, i) => p.cpuUsPerEvent / result.faye[i]!.cpuUsPerEvent);
      const ofMedians = median(result[name].map((x) => x.cpuUsPerEvent)) / median(result.faye.map((x) => x.cpuUsPerEvent));
      console.log(`  CPU/event ${name} / faye: ${ofMedians.toFixed(3)} (ratio of medians); per round ${ratios.map((x) => x.toFixed(2)).join(' ')}, median ${median(ratios).toFixed(3)}`);
    }
  }
  process.exit(0);
}
