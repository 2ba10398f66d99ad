/**
 * The benches' servers run in child processes, so the measuring process counts only its
 * own clients' CPU and memory. This is the one protocol between them: the child says
 * `ready` with its URLs, then answers each `{ id, command }` with `{ id, result }` or
 * `{ id, error }`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Urls = { pushUrl: string; apiUrl: string };

/** The child's side: answers every command with `handle`, after announcing `ready`. */
export function serveCommands<Command>(handle: (command: Command) => Promise<unknown>, ready: Urls): void {
  process.on('message', (message: { id: number; command: Command }) => {
    handle(message.command).then(
      (result) => process.send!({ id: message.id, result }),
      (error: Error) => process.send!({ id: message.id, error: error.message }),
    );
  });
  process.send!({ ready });
}

/** The parent's side: a child script run through tsx, and a typed way to call it. */
export class CommandChild {
  readonly urls: Urls;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #seq = 0;

  private constructor(child: ChildProcess, urls: Urls) {
    this.#child = child;
    this.urls = urls;
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiter = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  }

  /** Forks `script` and resolves once it is ready. */
  static async fork(script: URL): Promise<CommandChild> {
    const child = fork(fileURLToPath(script), [], { execArgv: ['--import', 'tsx'] });
    const urls = await new Promise<Urls>((resolve) => {
      const onReady = (message: { ready?: Urls }): void => {
        if (!message.ready) return;
        child.off('message', onReady);
        resolve(message.ready);
      };
      child.on('message', onReady);
    });
    return new CommandChild(child, urls);
  }

  call<T>(command: Record<string, unknown>): Promise<T> {
    const id = ++this.#seq;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, command });
    });
  }

  /** Sends `close` and waits for the child to exit. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.call({ cmd: 'close' });
    await exited;
  }
}
