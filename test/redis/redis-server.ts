import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { Redis } from 'ioredis';

/** How a test's Redis runs. */
export interface RedisServerOptions {
  /** Keep data across restart() in an append-only file, fsynced on every write. Default false. */
  readonly durable?: boolean;
  /** Refuse clients without this password. */
  readonly password?: string;
}

/**
 * A real `redis-server` (Debian's) on a free loopback port, in a scratch directory, with
 * nothing saved unless `durable`. Each test starts its own and stops it.
 */
export class RedisServer {
  readonly port: number;
  readonly #options: RedisServerOptions;
  readonly #dir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string, options: RedisServerOptions) {
    this.port = port;
    this.#dir = dir;
    this.#options = options;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'groupme-redis-')), options);
    await server.#spawn();
    return server;
  }

  /** `redis://127.0.0.1:PORT` (with the password when there is one). */
  get url(): string {
    return `redis://${this.#options.password ? `:${this.#options.password}@` : ''}127.0.0.1:${this.port}`;
  }

  /** Shuts Redis down cleanly (it writes its append-only file) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  /** Starts it again on the same port, with the same data directory. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  /** Stops it for good and removes its directory. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.#dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.#dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
    args.push('--appendonly', this.#options.durable ? 'yes' : 'no');
    if (this.#options.durable) args.push('--appendfsync', 'always');
    if (this.#options.password) args.push('--requirepass', this.#options.password);
    this.#child = await spawnRedis(this.port, args);
  }
}

/**
 * Starts Debian's `redis-server` with `args` (which must make it listen on `port`) and
 * resolves once it answers there. If it exits first, or says nothing for 10 s, it is
 * stopped and the promise rejects with what it printed: no test leaves one behind.
 */
export async function spawnRedis(port: number, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const deadline = Date.now() + 10_000;
  // With --loglevel warning Redis says nothing on a good start: poll until it answers.
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server on port ${port} exited at start: ${output}`);
    if (await answers(port)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer within 10 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something on the port answers a RESP PING (a +PONG, or -NOAUTH with a password). */
async function answers(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(/^[+-]/.test(data.toString()));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * A Redis of its own, and one client to it, for each test of a `describe` block: call it
 * inside the block, and read `server` and `redis` in the tests. The client reconnects every
 * 50 ms and keeps quiet while the server is down, so a test may restart it.
 */
export function redisForSuite(options: RedisServerOptions = {}): { readonly server: RedisServer; readonly redis: Redis } {
  const suite = {} as { server: RedisServer; redis: Redis };
  beforeEach(async () => {
    suite.server = await RedisServer.start(options);
    suite.redis = new Redis(suite.server.url, { retryStrategy: () => 50 });
    suite.redis.on('error', () => undefined); // refused connections while it restarts
  });
  afterEach(async () => {
    suite.redis.disconnect();
    await suite.server.close();
  });
  return suite;
}
