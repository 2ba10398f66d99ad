import type { PushClient, PushClientEvents } from '../../src/index.js';

/**
 * Resolves with the next `name` event that matches. Tests bound their total time with
 * node:test's `timeout` option instead of asserting durations here.
 */
export function nextEvent<K extends keyof PushClientEvents>(
  client: PushClient,
  name: K,
  match: (event: PushClientEvents[K]) => boolean = () => true,
): Promise<PushClientEvents[K]> {
  return new Promise((resolve) => {
    const listener = (event: PushClientEvents[K]): void => {
      if (!match(event)) return;
      client.off(name, listener);
      resolve(event);
    };
    client.on(name, listener);
  });
}

/** Collects every `name` event from now on. */
export function collect<K extends keyof PushClientEvents>(client: PushClient, name: K): PushClientEvents[K][] {
  const seen: PushClientEvents[K][] = [];
  client.on(name, (event) => seen.push(event));
  return seen;
}

/**
 * Polls `condition` on the event loop until it holds. node:test's `timeout` fails the test
 * but cannot stop this loop, which would then keep the process (and the run) alive for
 * ever: past `backstopMs`, far beyond any suite's timeout, it gives up.
 */
export async function until(condition: () => boolean, backstopMs = 60_000): Promise<void> {
  const giveUpAt = Date.now() + backstopMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`a condition still did not hold after ${backstopMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
