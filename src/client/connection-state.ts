/**
 * Where a PushClient is in its life.
 * - `idle`: created, `start()` not called yet.
 * - `connecting`: `start()` is discovering the user and subscribing.
 * - `connected`: every channel acknowledged; events flow.
 * - `reconnecting`: the connection dropped; the client is getting it back by itself.
 * - `failed`: a final error (such as a revoked token); nothing more will happen.
 * - `stopped`: `stop()` was called; nothing is left running.
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

/** Emitted as `state` on every transition. */
export interface StateChange {
  readonly previous: ConnectionState;
  readonly current: ConnectionState;
  /** Why, in a few words: `start`, `transport down`, `authentication failed`, `stop`... */
  readonly reason: string;
  /** When `current` is `reconnecting`: how long until the next attempt, if one is scheduled. */
  readonly retryInMs: number | null;
  /** The error behind a `failed` or `reconnecting` state, if any. */
  readonly error: Error | null;
}
