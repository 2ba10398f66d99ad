/**
 * What the client itself costs per event: a bare faye client and PushClient, each in its
 * own process, fed by a publisher that outpaces both (bench/publisher-child.ts, a third
 * process); medians of events/s and of the client process's CPU per event.
 *
 * A round gives each side the same number of events, in slices that alternate between
 * the sides (10,000 events by default, the first side swapping each slice): each side is
 * alone with the publisher while it reads, yet both are measured across the same seconds.
 * On a shared machine the load can move CPU per event by half from one second to the
 * next; whole bursts in turns would put one side in a busy second and the other in a calm
 * one. (Feeding both at once was tried: on two cores, one client then shares a core with
 * the machine's other work and the other does not.) `--slice <count>` with the round's
 * count gives whole bursts in turns.
 *
 * Each side has its own process so that neither shares a heap, a garbage collector or
 * faye's JIT feedback with the other, as in an app that runs one of them.
 *
 * npm run bench:client [-- --rounds 7 --count 100000 --per-frame 1,10 --slice 10000 --src --previous <dir>[,<dir>] --prof <dir>]
 * `--src` measures src/ through tsx instead of the built dist/; `--previous` adds a side
 * per directory, the PushClient of another build (a copy of dist/ taken before a change, kept inside the repository, e.g. .prev/, so that it finds node_modules),
 * so that a change is measured against what it replaces in the same rounds. `--prof <dir>`
 * writes a CPU profile of each client process there, taken across the same seconds, to
 * compare function by function; `--only pushclient` runs one side in this very process,
 * for `node --cpu-prof` by hand.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import faye, { type BayeuxMessage, type ExtensionCallback } from 'faye';
import type { PushClient as PushClientClass } from '../src/index.js';
import { tearDownFayeClient } from '../src/transport/teardown.js';
import { CommandChild, type Urls } from './ipc.js';
import { tokenOf } from './publisher-constants.js';

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
  /** Events per slice: the sides take turns every `slice` events (default 10,000). */
  readonly slice?: number;
  /** Copies of dist/ from other builds, each measured as one more side named by its path. */
  readonly previous?: readonly string[];
  /** PushClient from src/ (through tsx) rather than dist/. */
  readonly src?: boolean;
  /** A directory for a CPU profile of each client process. */
  readonly prof?: string;
  readonly log?: (line: string) => void;
}

/** `faye`, `pushclient`, or the path of another build's dist/. */
export type Side = string;

const SELF = fileURLToPath(import.meta.url);

// ---- the publisher child --------------------------------------------------------------
const startPublisher = (): Promise<CommandChild> => CommandChild.fork(new URL('./publisher-child.ts', import.meta.url));

// ---- the sides: each counts the line.create events it is handed -------------------------
interface Connected {
  stop(): Promise<void>;
}

type Connect = (urls: Urls, userId: string, onEvent: () => void) => Promise<Connected>;

/** A faye client as a script would hold one: the token extension, one subscription, a listener that reads the id. */
const fayeSide: Connect = async (urls, userId, onEvent) => {
  const client = new faye.Client(urls.pushUrl);
  client.addExtension({
    outgoing: (message: BayeuxMessage, callback: ExtensionCallback) => {
      if (message.channel === '/meta/subscribe') message.ext = { ...message.ext, access_token: tokenOf(userId), timestamp: Math.floor(Date.now() / 1000) };
      callback(message);
    },
  });
  await new Promise<void>((resolve, reject) => {
    client
      .subscribe(`/user/${userId}`, (message) => {
        const data = message as { type?: string; subject?: { id?: string } };
        if (data.type === 'line.create' && data.subject?.id !== undefined) onEvent();
      })
      .then(() => resolve(), (error: unknown) => reject(error));
  });
  return { stop: async () => tearDownFayeClient(client) };
};

/** PushClient as its README starts it, with a listener that reads the id. */
function pushClientSide(PushClient: typeof PushClientClass): Connect {
  return async (urls, userId, onEvent) => {
    const client = new PushClient({ token: tokenOf(userId), ...urls });
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

async function connectorFor(side: Side, src: boolean): Promise<Connect> {
  if (side === 'faye') return fayeSide;
  const entry =
    side !== 'pushclient' ? pathToFileURL(resolve(side, 'index.js')).href
    : src ? new URL('../src/index.ts', import.meta.url).href
    : new URL('../dist/index.js', import.meta.url).href;
  const { PushClient } = (await import(entry)) as typeof import('../src/index.js');
  return pushClientSide(PushClient);
}

// ---- a client process, measured on the parent's word ------------------------------------
type ToClient = { cmd: 'connect'; urls: Urls; userId: string; count: number; slice: number } | { cmd: 'measure' } | { cmd: 'stop' } | { cmd: 'exit' };
type Measured = { cpuUs: number };
type FromClient = { ready: true } | { connected: true } | { armed: true } | { sliceDone: true } | { measured: Measured } | { stopped: true };

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function serveAsClient(side: Side, src: boolean): Promise<void> {
  const connect = await connectorFor(side, src);
  let conn: Connected | undefined;
  let count = 0;
  let slice = 0;
  let received = 0;
  let armed: NodeJS.CpuUsage | undefined;
  const reply = (message: FromClient): void => void process.send!(message);
  process.on('message', async (message: ToClient) => {
    switch (message.cmd) {
      case 'connect':
        count = message.count;
        slice = message.slice;
        conn = await connect(message.urls, message.userId, () => {
          if (!armed) return;
          if (++received % slice === 0 || received === count) reply({ sliceDone: true });
          if (received !== count) return;
          const cpu = process.cpuUsage(armed);
          reply({ measured: { cpuUs: cpu.user + cpu.system } });
          armed = undefined;
        });
        return reply({ connected: true });
      case 'measure':
        received = 0;
        gc();
        // V8 sweeps after a full collection on other threads, and they count in this
        // process's CPU: the window opens once that is done.
        await sleep(200);
        armed = process.cpuUsage();
        return reply({ armed: true });
      case 'stop':
        await conn?.stop();
        conn = undefined;
        return reply({ stopped: true });
      case 'exit':
        process.exit(0);
    }
  });
  reply({ ready: true });
}

type Kind = 'ready' | 'connected' | 'armed' | 'sliceDone' | 'measured' | 'stopped';

class ClientProcess {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<Kind, Array<(message: FromClient) => void>>();
  readonly ready: Promise<FromClient>;

  constructor(side: Side, src: boolean, prof: string | undefined) {
    // A directory per side: tsx's loader thread writes a profile of its own beside the main one.
    const profile = prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(prof, side.replace(/\W+/g, '_'))}`];
    this.#child = fork(SELF, ['--client', side, ...(src ? ['--src'] : [])], { execArgv: ['--expose-gc', ...profile, '--import', 'tsx'] });
    this.#child.on('message', (message: FromClient) => {
      const kind = Object.keys(message)[0] as Kind;
      this.#waiting.get(kind)?.shift()?.(message);
    });
    this.ready = this.next('ready');
  }

  /** The next message of this kind. */
  next<T extends FromClient>(kind: Kind): Promise<T> {
    return new Promise((settle) => {
      const list = this.#waiting.get(kind) ?? [];
      list.push(settle as (message: FromClient) => void);
      this.#waiting.set(kind, list);
    });
  }

  async ask<T extends FromClient>(message: ToClient, kind: Kind): Promise<T> {
    const answer = this.next<T>(kind);
    this.#child.send(message);
    return answer;
  }

  exit(): void {
    this.#child.send({ cmd: 'exit' } satisfies ToClient);
  }
}

// ---- rounds ---------------------------------------------------------------------------
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** (max − min) / median, in percent: how far apart the rounds were. */
export const spread = (xs: readonly number[]): number => ((Math.max(...xs) - Math.min(...xs)) / median(xs)) * 100;

interface Seat {
  readonly side: Side;
  readonly client: ClientProcess;
  /** Each side is its own user, so the publisher can feed one at a time. */
  readonly userId: string;
}

/** One round: `count` events for every side, in slices taken in turns. */
async function round(publisher: CommandChild, urls: Urls, seats: readonly Seat[], count: number, perFrame: number, slice: number, first: number): Promise<ClientRound[]> {
  // Connected one after another: the publisher answers every handshake itself.
  for (const { client, userId } of seats) await client.ask({ cmd: 'connect', urls, userId, count, slice }, 'connected');
  for (const { userId } of seats) await publisher.call({ cmd: 'prepare', userId, count, perFrame });
  for (const { client } of seats) await client.ask({ cmd: 'measure' }, 'armed');
  const measured = seats.map(({ client }) => client.next<{ measured: Measured }>('measured'));
  const busyMs = seats.map(() => 0);
  const framesPerSlice = Math.ceil(slice / perFrame);
  for (let j = 0; j * slice < count; j++) {
    const order = seats.map((_, i) => i);
    if ((j + first) % 2) order.reverse();
    for (const i of order) {
      const { client, userId } = seats[i]!;
      const done = client.next('sliceDone');
      const t0 = performance.now();
      await publisher.call({ cmd: 'go', userId, from: j * framesPerSlice, to: (j + 1) * framesPerSlice });
      await done;
      busyMs[i]! += performance.now() - t0;
    }
  }
  const results = await Promise.all(measured);
  for (const { client } of seats) await client.ask({ cmd: 'stop' }, 'stopped');
  return results.map(({ measured: m }, i) => ({ eventsPerSecond: count / (busyMs[i]! / 1000), cpuUsPerEvent: m.cpuUs / count }));
}

/** Rounds of every side; each side's rounds in order. */
export async function clientThroughput(options: ClientThroughputOptions): Promise<Record<Side, ClientRound[]>> {
  const sides: Side[] = ['faye', 'pushclient', ...(options.previous ?? [])];
  const slice = Math.min(options.slice ?? 10_000, options.count);
  const publisher = await startPublisher();
  const urls = publisher.urls;
  const seats: Seat[] = sides.map((side, i) => ({ side, client: new ClientProcess(side, options.src ?? false, options.prof), userId: String(50_000_001 + i) }));
  await Promise.all(seats.map(({ client }) => client.ready));
  const out: Record<Side, ClientRound[]> = Object.fromEntries(sides.map((side) => [side, []]));
  try {
    // One short unmeasured round, so that the first measured one is not also the JIT's first.
    const warmUp = Math.min(options.count, 20_000);
    await round(publisher, urls, seats, warmUp, options.perFrame, Math.min(slice, warmUp), 0);
    for (let r = 1; r <= options.rounds; r++) {
      const results = await round(publisher, urls, seats, options.count, options.perFrame, slice, r);
      sides.forEach((side, i) => {
        out[side]!.push(results[i]!);
        options.log?.(`  ${options.perFrame}/frame round ${r} ${side}: ${Math.round(results[i]!.eventsPerSecond)} events/s, ${results[i]!.cpuUsPerEvent.toFixed(2)} µs/event`);
      });
    }
  } finally {
    for (const { client } of seats) client.exit();
    await publisher.close();
  }
  return out;
}

// ---- standalone -----------------------------------------------------------------------
if (process.argv[1] === SELF) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      count: { type: 'string', default: '100000' },
      'per-frame': { type: 'string', default: '1,10' },
      slice: { type: 'string', default: '10000' },
      src: { type: 'boolean', default: false },
      previous: { type: 'string' },
      prof: { type: 'string' },
      only: { type: 'string' },
      client: { type: 'string' },
    },
  });
  if (values.client !== undefined) {
    await serveAsClient(values.client, values.src);
  } else if (values.only !== undefined) {
    // One side in this very process, for `node --cpu-prof`.
    const publisher = await startPublisher();
    const urls = publisher.urls;
    const connect = await connectorFor(values.only, values.src);
    const count = Number(values.count);
    const userId = '50000001';
    for (let r = 0; r < Number(values.rounds); r++) {
      let received = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const conn = await connect(urls, userId, () => {
        if (++received === count) done();
      });
      const { frames } = await publisher.call<{ frames: number }>({ cmd: 'prepare', userId, count, perFrame: Number(values['per-frame'].split(',')[0]) });
      const cpu0 = process.cpuUsage();
      await publisher.call({ cmd: 'go', userId, from: 0, to: frames });
      await finished;
      const cpu = process.cpuUsage(cpu0);
      console.log(`${values.only}: ${((cpu.user + cpu.system) / count).toFixed(2)} µs CPU/event`);
      await conn.stop();
    }
    await publisher.close();
    process.exit(0);
  } else {
    const previous = values.previous?.split(',').filter(Boolean) ?? [];
    const count = Number(values.count);
    const slice = Number(values.slice);
    for (const perFrame of values['per-frame'].split(',').map(Number)) {
      const result = await clientThroughput({ rounds: Number(values.rounds), count, perFrame, slice, previous, src: values.src, prof: values.prof, log: console.error });
      const turns = slice >= count ? 'whole bursts in turns' : `slices of ${slice.toLocaleString('en')} in turns`;
      console.log(`${perFrame} per frame, ${count.toLocaleString('en')} events a round, ${values.rounds} rounds, ${turns}`);
      for (const [side, rounds] of Object.entries(result)) {
        const eps = rounds.map((x) => x.eventsPerSecond);
        const cpu = rounds.map((x) => x.cpuUsPerEvent);
        const ratios = cpu.map((x, i) => x / result.faye![i]!.cpuUsPerEvent);
        const vs = side === 'faye' ? '' : `; / faye: ${(median(cpu) / median(result.faye!.map((x) => x.cpuUsPerEvent))).toFixed(3)} (medians), per round ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
        console.log(`  ${side}: ${Math.round(median(eps)).toLocaleString('en')} events/s (spread ${spread(eps).toFixed(0)}%), ${median(cpu).toFixed(2)} µs CPU/event (spread ${spread(cpu).toFixed(0)}%)${vs}`);
      }
    }
    process.exit(0);
  }
}
