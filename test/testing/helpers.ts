import assert from 'node:assert/strict';
import faye, { type BayeuxMessage, type Client, type ExtensionCallback, type FayeError } from 'faye';
import type { GroupMeServer } from '../../src/testing/index.js';
import { tearDownFayeClient } from '../../src/transport/teardown.js';

export { sample } from '../support/samples.js';

// Helpers for exercising the look-alike server with nothing of the library's client: a
// bare faye client (as the community script uses one) and Node's fetch. Only the faye
// teardown is the library's, to stop those bare clients.

/**
 * A bare faye client holder. The faye Client is a thenable: it stays inside this object and
 * is never returned from an async function nor awaited.
 */
export interface RawClient {
  readonly client: Client;
  /** Every `data` received, by channel, in order. */
  readonly received: Map<string, unknown[]>;
  /** What the client sent on `/meta/subscribe`, for comparison with the server's log. */
  readonly sentSubscribes: BayeuxMessage[];
  /** Every non-meta Bayeux message received, whole (channel, id, data, anything else). */
  readonly envelopes: BayeuxMessage[];
}

const open: Client[] = [];

/**
 * A faye client that sends `ext.access_token` on subscribes and publishes, the way GroupMe
 * clients do. `ext` is merged in (pass `timestamp`, or a forged internal marker).
 */
export function rawClient(server: GroupMeServer, token: string | null, ext: Record<string, unknown> = {}): RawClient {
  const client = new faye.Client(server.pushUrl, { retry: 0.1 });
  const sentSubscribes: BayeuxMessage[] = [];
  const envelopes: BayeuxMessage[] = [];
  client.addExtension({
    incoming(message: BayeuxMessage, callback: ExtensionCallback) {
      if (!message.channel.startsWith('/meta/')) envelopes.push(structuredClone(message));
      callback(message);
    },
    outgoing(message: BayeuxMessage, callback: ExtensionCallback) {
      if (message.channel === '/meta/subscribe' || !message.channel.startsWith('/meta/')) {
        message.ext = { ...ext, ...(token === null ? {} : { access_token: token }) };
      }
      if (message.channel === '/meta/subscribe') sentSubscribes.push(structuredClone(message));
      callback(message);
    },
  });
  open.push(client);
  return { client, received: new Map(), sentSubscribes, envelopes };
}

/** Subscribes and settles with `'ok'` or `'<code>:<message>'`. */
export function subscribe(raw: RawClient, channel: string): Promise<string> {
  const list: unknown[] = raw.received.get(channel) ?? [];
  raw.received.set(channel, list);
  return settle(raw.client.subscribe(channel, (data) => list.push(data)));
}

/** Publishes and settles with `'ok'` or `'<code>:<message>'`. */
export function publish(raw: RawClient, channel: string, data: unknown): Promise<string> {
  return settle(raw.client.publish(channel, data));
}

export function settle(thenable: { then(ok: () => void, fail: (e: FayeError) => void): void }): Promise<string> {
  return new Promise((resolve) => thenable.then(() => resolve('ok'), (e) => resolve(`${e.code ?? ''}:${e.message ?? ''}`)));
}

/** Everything received on `channel` so far. */
export function got(raw: RawClient, channel: string): Array<Record<string, unknown>> {
  return (raw.received.get(channel) ?? []) as Array<Record<string, unknown>>;
}

/** Waits until `channel` received `count` payloads (or a matching one) and returns them. */
export async function receive(
  raw: RawClient,
  channel: string,
  match: (data: Record<string, unknown>) => boolean = () => true,
  count = 1,
): Promise<Array<Record<string, unknown>>> {
  await until(() => got(raw, channel).filter(match).length >= count, `${count} payload(s) on ${channel}`);
  return got(raw, channel).filter(match);
}

/**
 * Polls until `condition` holds. The deadline only turns a hang into a readable failure;
 * it is far above anything a passing run needs.
 */
export async function until(condition: () => boolean, what = 'condition', deadlineMs = 8_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > deadlineMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Stops every raw client for good, with the teardown the library itself uses. */
export function closeClients(): void {
  for (const client of open.splice(0)) tearDownFayeClient(client);
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or null when empty. */
  readonly body: { response: unknown; meta: { code: number; errors?: string[] } } | null;
  readonly raw: string;
}

/** A REST call with the token in the `X-Access-Token` header (or `?token=` when asked). */
export async function api(
  server: GroupMeServer,
  path: string,
  options: { token?: string; method?: string; body?: unknown; tokenInUrl?: boolean; signal?: AbortSignal } = {},
): Promise<ApiResponse> {
  const url = new URL(`${server.apiUrl}${path}`);
  const headers: Record<string, string> = {};
  if (options.token !== undefined) {
    if (options.tokenInUrl) url.searchParams.set('token', options.token);
    else headers['X-Access-Token'] = options.token;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const method = options.method ?? 'GET';
  const send = (): Promise<Response> => fetch(url, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // After a restart, a drop or a black hole, fetch's pool may still hold a socket the
  // server closed: a GET is retried once, as any client does.
  const res = await send().catch((error: Error) => {
    if (method !== 'GET' || error.name !== 'TypeError') throw error;
    return send();
  });
  const raw = await res.text();
  return { status: res.status, headers: res.headers, body: raw ? JSON.parse(raw) : null, raw };
}

/** `response` of a successful call, typed as the test expects. */
export function responseOf<T>(res: ApiResponse): T {
  assert.ok(res.body, `HTTP ${res.status} with no body`);
  return res.body.response as T;
}

export function keys(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

/** Same keys as the sample, and each non-null value of the same JSON kind. */
export function assertShapedLike(actual: unknown, expected: unknown, where = 'payload'): void {
  assert.deepEqual(keys(actual), keys(expected), `${where}: keys`);
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    if (a[key] === null || e[key] === null) continue;
    assert.equal(kind(a[key]), kind(e[key]), `${where}.${key}: kind`);
  }
}

function kind(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}
