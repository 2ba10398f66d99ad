import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The scale server child and a typed way to call it. */
export class ScaleServer {
  readonly urls: { pushUrl: string; apiUrl: string };
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #seq = 0;

  private constructor(child: ChildProcess, urls: { pushUrl: string; apiUrl: string }) {
    this.#child = child;
    this.urls = urls;
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      const waiter = this.#pending.get(message.id!);
      this.#pending.delete(message.id!);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  }

  static async start(): Promise<ScaleServer> {
    const child = fork(fileURLToPath(new URL('./scale-server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    const urls = await new Promise<{ pushUrl: string; apiUrl: string }>((resolve) => {
      const onReady = (message: { ready?: { pushUrl: string; apiUrl: string } }): void => {
        if (!message.ready) return;
        child.off('message', onReady);
        resolve(message.ready);
      };
      child.on('message', onReady);
    });
    return new ScaleServer(child, urls);
  }

  users(count: number): Promise<{ id: string; token: string }[]> {
    return this.#call({ cmd: 'users', count });
  }

  group(members: string[]): Promise<string> {
    return this.#call({ cmd: 'group', members });
  }

  /** Posts `count` messages at `perSecond`; each with its id and publish time (ms since the epoch). */
  posts(groupId: string, authorId: string, count: number, perSecond: number): Promise<{ id: string; atMs: number }[]> {
    return this.#call({ cmd: 'posts', groupId, authorId, count, perSecond });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.#call({ cmd: 'close' });
    await exited;
  }

  #call<T>(command: Record<string, unknown>): Promise<T> {
    const id = ++this.#seq;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, command });
    });
  }
}
