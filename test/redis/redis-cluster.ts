import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { spawnRedis } from './redis-server.js';

/** A Redis Cluster node's address, as `new Cluster(nodes)` takes it. */
export interface ClusterNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Redis Cluster's bus listens on the client port plus this. */
const BUS_OFFSET = 10_000;
const MASTERS = 3;
const SLOTS = 16_384;
const HOST = '127.0.0.1';

/** Every node process still running, killed at exit should a test forget to close its cluster. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

interface Node {
  readonly port: number;
  readonly dir: string;
  child: ChildProcess | undefined;
}

/**
 * A real 3-master Redis Cluster of Debian's `redis-server`, no replicas, each node on a
 * free loopback port (whose bus port, +10000, is free too) in its own scratch directory,
 * nothing saved. Slots are assigned with `CLUSTER ADDSLOTSRANGE` and the nodes joined with
 * `CLUSTER MEET`, over ioredis (no `redis-cli`). Close it to stop every node and remove
 * their directories; {@link clusterForSuite} does so in an `after` hook.
 */
export class RedisCluster {
  readonly #nodes: Node[];
  readonly #clients = new Set<Cluster>();

  private constructor(nodes: Node[]) {
    this.#nodes = nodes;
  }

  /** Starts three nodes, gives each a third of the slots, joins them and waits for `cluster_state:ok` on all. */
  static async start(): Promise<RedisCluster> {
    const cluster = new RedisCluster([]);
    try {
      const ports = await freePorts(MASTERS);
      for (const port of ports) {
        const node: Node = { port, dir: await mkdtemp(join(tmpdir(), 'groupme-redis-cluster-')), child: undefined };
        cluster.#nodes.push(node);
        await spawnNode(node);
      }
      await cluster.#form();
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** The nodes' addresses, for `new Cluster(cluster.nodes)`. */
  get nodes(): ClusterNodeAddress[] {
    return this.#nodes.map(({ port }) => ({ host: HOST, port }));
  }

  /**
   * A connected ioredis `Cluster` client (one per replica, say). `close()` disconnects
   * whichever are still open, so none keeps the process alive.
   */
  async client(options: ClusterOptions = {}): Promise<Cluster> {
    const client = new Cluster(this.nodes, { lazyConnect: true, ...options });
    this.#clients.add(client);
    client.once('end', () => this.#clients.delete(client));
    await client.connect();
    return client;
  }

  /** Disconnects its clients, stops every node (SIGTERM, then waits for it to exit) and removes their directories. */
  async close(): Promise<void> {
    for (const client of this.#clients) client.disconnect();
    this.#clients.clear();
    await Promise.all(
      this.#nodes.map(async (node) => {
        const child = node.child;
        node.child = undefined;
        if (child) await stopChild(child);
        await rm(node.dir, { recursive: true, force: true });
      }),
    );
  }

  async #form(): Promise<void> {
    const clients = this.#nodes.map(({ port }) => new Redis({ host: HOST, port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 }));
    try {
      for (const client of clients) client.on('error', () => undefined);
      await Promise.all(clients.map((client) => client.connect()));
      const per = Math.ceil(SLOTS / clients.length);
      await Promise.all(
        clients.map(async (client, i) => {
          // Distinct epochs, as redis-cli gives them, so no node has to resolve a collision.
          await client.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1));
          await client.call('CLUSTER', 'ADDSLOTSRANGE', String(i * per), String(Math.min(SLOTS, (i + 1) * per) - 1));
        }),
      );
      for (const { port } of this.#nodes.slice(1)) await clients[0]!.call('CLUSTER', 'MEET', HOST, String(port));
      const deadline = Date.now() + 15_000;
      for (;;) {
        const infos = await Promise.all(clients.map((client) => client.call('CLUSTER', 'INFO') as Promise<string>));
        if (infos.every((info) => /^cluster_state:ok\r?$/m.test(info) && new RegExp(`^cluster_known_nodes:${clients.length}\\r?$`, 'm').test(info))) return;
        if (Date.now() > deadline) throw new Error(`the Redis Cluster did not form within 15 s:\n${infos.join('\n---\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      for (const client of clients) client.disconnect();
    }
  }
}

/**
 * One Redis Cluster and one `Cluster` client to it for a whole `describe` block: call it
 * inside the block and read `cluster` and `redis` in the tests once its `before` hook has
 * run. Its `after` hook closes every client and stops the nodes, whether the tests passed
 * or not.
 */
export function clusterForSuite(): { readonly cluster: RedisCluster; readonly redis: Cluster } {
  const suite = {} as { cluster: RedisCluster; redis: Cluster };
  before(async () => {
    suite.cluster = await RedisCluster.start();
    suite.redis = await suite.cluster.client();
  });
  after(async () => {
    await suite.cluster?.close();
  });
  return suite;
}

async function spawnNode(node: Node): Promise<void> {
  const args = [
    '--port', String(node.port),
    '--bind', HOST,
    '--dir', node.dir,
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  const child = await spawnRedis(node.port, args);
  node.child = child;
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

/**
 * `count` distinct ports whose cluster bus port (+10000) is free as well: picked at random
 * below the usual ephemeral range, each checked by listening on it.
 */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries > 200) throw new Error('found no free pair of ports (client and cluster bus) for a Redis Cluster node');
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (ports.some((taken) => Math.abs(taken - port) <= 1 || taken === port + BUS_OFFSET || taken + BUS_OFFSET === port)) continue;
    if ((await isFree(port)) && (await isFree(port + BUS_OFFSET))) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}
