import { CommandChild } from './ipc.js';

/** The scale server child (bench/scale-server.ts) and a typed way to call it. */
export class ScaleServer {
  readonly #child: CommandChild;

  private constructor(child: CommandChild) {
    this.#child = child;
  }

  static async start(): Promise<ScaleServer> {
    return new ScaleServer(await CommandChild.fork(new URL('./scale-server.ts', import.meta.url)));
  }

  get urls(): { pushUrl: string; apiUrl: string } {
    return this.#child.urls;
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

  close(): Promise<void> {
    return this.#child.close();
  }

  #call<T>(command: Record<string, unknown>): Promise<T> {
    return this.#child.call(command);
  }
}
