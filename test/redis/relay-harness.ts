import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { decodeStreamEntry } from '../../src/redis/index.js';
import type { GroupMeServer, SimUser } from '../../src/testing/index.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A running `groupme-push relay` child process. */
export class RelayProcess {
  readonly child: ChildProcess;
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: (() => void)[] = [];

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'relay', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Resolves once stderr matches; rejects if the process exits first. */
  async until(pattern: RegExp): Promise<void> {
    while (!pattern.test(this.stderr)) {
      const more = new Promise<void>((resolve) => this.#waiters.push(resolve));
      if ((await Promise.race([more, this.exited.then(() => 'exited' as const)])) === 'exited' && !pattern.test(this.stderr)) {
        throw new Error(`the relay exited before printing ${pattern}; stderr: ${this.stderr}`);
      }
    }
  }

  /** Waits until every account of this relay is connected. */
  ready(): Promise<void> {
    return this.until(/relaying \d+ accounts?/);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** The flags every relay of a test starts with: its Redis, the world's token file, the look-alike's URLs. */
export function relayFlags(redisUrl: string, world: World, server: GroupMeServer): string[] {
  return ['--redis', redisUrl, '--token-file', world.tokenFile, '--push-url', server.pushUrl, '--api-url', server.apiUrl];
}

/** Kills every relay of `relays` still running, empties the list, and waits until each has exited. */
export async function killRelays(relays: RelayProcess[]): Promise<void> {
  for (const relay of relays.splice(0)) {
    relay.kill();
    await relay.exited;
  }
}

/** Twenty accounts in four groups with a poster who is not relayed, and their token file. */
export interface World {
  readonly poster: SimUser;
  readonly accounts: SimUser[];
  readonly groups: { id: string; members: string[] }[];
  readonly tokenFile: string;
  readonly dir: string;
}

export async function buildWorld(server: GroupMeServer, size = 20): Promise<World> {
  const poster = server.addUser({ name: 'Poster' });
  const accounts = Array.from({ length: size }, (_, i) => server.addUser({ name: `Account ${i}` }));
  const groups = [];
  for (let g = 0; g < 4; g++) {
    const members = accounts.filter((_, i) => i % 4 === g).map((a) => a.id);
    const group = server.addGroup({ name: `G${g}`, members: [poster.id, ...members] });
    groups.push({ id: group.id, members });
  }
  for (const account of accounts) server.addChat(poster.id, account.id);
  const dir = await mkdtemp(join(tmpdir(), 'groupme-relay-'));
  const tokenFile = join(dir, 'tokens.txt');
  await writeFile(tokenFile, `# relay test accounts\n${accounts.map((a) => a.token).join('\n')}\n`);
  return { poster, accounts, groups, tokenFile, dir };
}

export async function dropWorld(world: World): Promise<void> {
  await rm(world.dir, { recursive: true, force: true });
}

/**
 * Posts `count` messages, alternating group posts and DMs to the accounts, `intervalMs`
 * apart, calling `at(i)` before each (to kill or restart something mid-stream). Returns
 * every `account/message` pair the stream must hold once each.
 */
export async function publish(server: GroupMeServer, world: World, count: number, intervalMs: number, at: (i: number) => Promise<void> | void = () => undefined): Promise<string[]> {
  const expected: string[] = [];
  for (let i = 0; i < count; i++) {
    await at(i);
    if (i % 2 === 0) {
      const group = world.groups[(i / 2) % world.groups.length]!;
      const message = server.post(group.id, world.poster.id, `post ${i}`);
      for (const member of group.members) expected.push(`${member}/${message.id}`);
    } else {
      const account = world.accounts[((i - 1) / 2) % world.accounts.length]!;
      const message = server.sendDirectMessage(world.poster.id, account.id, `dm ${i}`);
      expected.push(`${account.id}/${message.id}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return expected;
}

/** The `account/message` pair of every new-message entry in the stream, in stream order. */
export async function streamPairs(redis: Redis, stream = 'groupme:events'): Promise<string[]> {
  const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
  const pairs: string[] = [];
  for (const [id, fields] of entries) {
    const { account, event } = decodeStreamEntry(fields, id);
    if (event.type === 'line.create' || event.type === 'direct_message.create') pairs.push(`${account}/${event.message.id}`);
  }
  return pairs;
}

/**
 * Polls the stream until it holds every expected pair, or `giveUpMs` passed (then the
 * caller's tally names what is missing, rather than a bare test timeout).
 */
export async function untilStreamHolds(redis: Redis, expected: readonly string[], giveUpMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    const pairs = await streamPairs(redis);
    const present = new Set(pairs);
    if (expected.every((pair) => present.has(pair)) || Date.now() > deadline) return pairs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Pairs that appear more than once, and expected pairs that never appear. */
export function tally(expected: readonly string[], pairs: readonly string[]): { doubled: string[]; missing: string[] } {
  const counts = new Map<string, number>();
  for (const pair of pairs) counts.set(pair, (counts.get(pair) ?? 0) + 1);
  return {
    doubled: [...counts].filter(([, n]) => n > 1).map(([pair]) => pair),
    missing: expected.filter((pair) => !counts.has(pair)),
  };
}
