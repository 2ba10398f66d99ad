/**
 * What the client itself costs per event: a bare faye client and PushClient, each in its
 * own process, fed by a publisher that outpaces both (bench/publisher-child.ts, a third
 * process); medians of events/s and of the client process's CPU per event.
 *
 * Two ways to run the rounds:
 * - in turns (the default): one side at a time, the first side swapping each round so that
 *   warm-up favours neither. Events/s means something here: nothing else is fed.
 * - `--together`: every side fed the same burst at the same time, frame by frame in turn.
 *   On a shared machine the load can double CPU per event from one second to the next;
 *   side by side, whatever else runs weighs on every side alike, so the ratio needs far
 *   fewer rounds to settle. Events/s means nothing then (the slowest sets the pace).
 *
 * Each side has its own process so that neither shares a heap, a garbage collector or
 * faye's JIT feedback with the other, as in an app that runs one of them.
 *
 * npm run bench:client [-- --rounds 7 --count 100000 --per-frame 1,10 --together --src --previous <dir>[,<dir>]]
 * `--src` measures src/ through tsx instead of the built dist/; `--previous` adds a side
 * per directory, the PushClient of another build (a copy of dist/ taken before a change),
 * so that a change is measured against what it replaces in the same rounds. `--prof <dir>`
 * writes a CPU profile of each client process there (with `--together`, profiles taken
 * under the same load, to compare function by function); `--only pushclient` runs one
 * side in this very process, for `node --cpu-prof` by hand.
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
  /** Side by side rather than in turns. */
  readonly together?: boolean;
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
export type Urls = { pushUrl: string; apiUrl: string };

const SELF = fileURLToPath(import.meta.url);

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

// ---- the sides: each counts the line.create events it is handed -------------------------
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

/** PushClient as its README starts it, with a listener that reads the id. */
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
type ToClient = { cmd: 'connect'; urls: Urls; count: number } | { cmd: 'measure' } | { cmd: 'stop' } | { cmd: 'exit' };
type Measured = { cpuUs: number; ms: number };
type FromClient = { connected: true } | { armed: true } | { measured: Measured } | { stopped: true };

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function serveAsClient(side: Side, src: boolean): Promise<void> {
  const connect = await connectorFor(side, src);
  let conn: Connected | undefined;
  let count = 0;
  let received = 0;
  let armed: { cpu: NodeJS.CpuUsage; t0: number } | undefined;
  const reply = (message: FromClient): void => void process.send!(message);
  process.on('message', async (message: ToClient) => {
    switch (message.cmd) {
      case 'connect':
        count = message.count;
        conn = await connect(message.urls, () => {
          if (++received !== count || !armed) return;
          const cpu = process.cpuUsage(armed.cpu);
          reply({ measured: { cpuUs: cpu.user + cpu.system, ms: performance.now() - armed.t0 } });
          armed = undefined;
        });
        return reply({ connected: true });
      case 'measure':
        received = 0;
        gc();
        // V8 sweeps after a full collection on other threads, and they count in this
        // process's CPU: the window opens once that is done.
        await sleep(200);
        armed = { cpu: process.cpuUsage(), t0: performance.now() };
        return reply({ armed: true });
      case 'stop':
        await conn?.stop();
        conn = undefined;
        return reply({ stopped: true });
      case 'exit':
        process.exit(0);
    }
  });
  process.send!({ ready: true });
}

class ClientProcess {
  readonly #child: ChildProcess;
  readonly ready: Promise<unknown>;

  constructor(side: Side, src: boolean, prof: string | undefined) {
    // A directory per side: tsx's loader thread writes a profile of its own beside the main one.
    const profile = prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(prof, side.replace(/\W+/g, '_'))}`];
    this.#child = fork(SELF, ['--client', side, ...(src ? ['--src'] : [])], { execArgv: ['--expose-gc', ...profile, '--import', 'tsx'] });
    this.ready = this.next();
  }

  next<T>(): Promise<T> {
    return new Promise((settle) => this.#child.once('message', settle as (message: unknown) => void));
  }

  async ask<T extends FromClient>(message: ToClient): Promise<T> {
    const answer = this.next<T>();
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

/** One burst of `count` events to `clients` (all at once, frame by frame in turn, when several). */
async function burst(publisher: Publisher, urls: Urls, clients: readonly ClientProcess[], count: number, perFrame: number): Promise<ClientRound[]> {
  // Connected one after another: the publisher answers every handshake itself.
  for (const client of clients) await client.ask({ cmd: 'connect', urls, count });
  await publisher.call({ cmd: 'prepare', count, perFrame });
  for (const client of clients) await client.ask({ cmd: 'measure' });
  const results = clients.map((client) => client.next<{ measured: Measured }>());
  await publisher.call({ cmd: 'go', all: clients.length > 1 });
  const measured = await Promise.all(results);
  for (const client of clients) await client.ask({ cmd: 'stop' });
  return measured.map(({ measured: m }) => ({ eventsPerSecond: count / (m.ms / 1000), cpuUsPerEvent: m.cpuUs / count }));
}

/** Rounds of bursts, in turns or together; each side's rounds in order. */
export async function clientThroughput(options: ClientThroughputOptions): Promise<Record<Side, ClientRound[]>> {
  const sides: Side[] = ['faye', 'pushclient', ...(options.previous ?? [])];
  const publisher = new Publisher();
  const urls = await publisher.urls;
  const clients = new Map(sides.map((side) => [side, new ClientProcess(side, options.src ?? false, options.prof)]));
  await Promise.all([...clients.values()].map((client) => client.ready));
  const out: Record<Side, ClientRound[]> = Object.fromEntries(sides.map((side) => [side, []]));
  const log = (round: number, side: Side, result: ClientRound): void =>
    options.log?.(`  ${options.perFrame}/frame round ${round} ${side}: ${Math.round(result.eventsPerSecond)} events/s, ${result.cpuUsPerEvent.toFixed(2)} µs/event`);
  try {
    // One short unmeasured round, so that the first measured one is not also the JIT's first.
    const warmUp = Math.min(options.count, 20_000);
    if (options.together) await burst(publisher, urls, [...clients.values()], warmUp, options.perFrame);
    else for (const client of clients.values()) await burst(publisher, urls, [client], warmUp, options.perFrame);
    for (let r = 1; r <= options.rounds; r++) {
      if (options.together) {
        const results = await burst(publisher, urls, [...clients.values()], options.count, options.perFrame);
        sides.forEach((side, i) => {
          out[side]!.push(results[i]!);
          log(r, side, results[i]!);
        });
        continue;
      }
      for (const side of r % 2 ? sides : [...sides].reverse()) {
        const [result] = await burst(publisher, urls, [clients.get(side)!], options.count, options.perFrame);
        out[side]!.push(result!);
        log(r, side, result!);
      }
    }
  } finally {
    for (const client of clients.values()) client.exit();
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
      together: { type: 'boolean', default: false },
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
    const publisher = new Publisher();
    const urls = await publisher.urls;
    const connect = await connectorFor(values.only, values.src);
    const count = Number(values.count);
    for (let r = 0; r < Number(values.rounds); r++) {
      let received = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const conn = await connect(urls, () => {
        if (++received === count) done();
      });
      await publisher.call({ cmd: 'prepare', count, perFrame: Number(values['per-frame'].split(',')[0]) });
      const cpu0 = process.cpuUsage();
      await publisher.call({ cmd: 'go' });
      await finished;
      const cpu = process.cpuUsage(cpu0);
      console.log(`${values.only}: ${((cpu.user + cpu.system) / count).toFixed(2)} µs CPU/event`);
      await conn.stop();
    }
    await publisher.close();
    process.exit(0);
  } else {
    const previous = values.previous?.split(',').filter(Boolean) ?? [];
    for (const perFrame of values['per-frame'].split(',').map(Number)) {
      const result = await clientThroughput({
        rounds: Number(values.rounds),
        count: Number(values.count),
        perFrame,
        together: values.together,
        previous,
        src: values.src,
        prof: values.prof,
        log: console.error,
      });
      console.log(`${perFrame} per frame, ${Number(values.count).toLocaleString('en')} events a round, ${values.rounds} rounds ${values.together ? 'side by side' : 'in turns'}`);
      for (const [side, rounds] of Object.entries(result)) {
        const eps = rounds.map((x) => x.eventsPerSecond);
        const cpu = rounds.map((x) => x.cpuUsPerEvent);
        const ratios = cpu.map((x, i) => x / result.faye![i]!.cpuUsPerEvent);
        const speed = values.together ? '' : `${Math.round(median(eps)).toLocaleString('en')} events/s (spread ${spread(eps).toFixed(0)}%), `;
        const vs = side === 'faye' ? '' : `; / faye: ${(median(cpu) / median(result.faye!.map((x) => x.cpuUsPerEvent))).toFixed(3)} (medians), per round ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
        console.log(`  ${side}: ${speed}${median(cpu).toFixed(2)} µs CPU/event (spread ${spread(cpu).toFixed(0)}%)${vs}`);
      }
    }
    process.exit(0);
  }
}
