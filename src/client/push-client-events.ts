import type { PushChannel } from '../events/channel.js';
import type { PushEvent, PushEventMap } from '../events/types.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import type { CatchUpReport } from './catch-up-runner.js';
import type { StateChange } from './connection-state.js';

/** Everything a PushClient emits: each push event by its type, plus lifecycle events. */
export interface PushClientEvents extends PushEventMap {
  /** Every push event, whatever its type: one discriminated union to `switch` on. */
  event: PushEvent;
  /** Every connection state transition. */
  state: StateChange;
  /** A channel was acknowledged by the server. */
  subscribed: PushChannel;
  /** A catch-up after a (re)connect finished. */
  'catch-up': CatchUpReport;
  /**
   * Something went wrong that you may want to log: a listener threw or rejected, a channel
   * was lost, the connection failed. Never thrown: with no listener it is simply not reported.
   */
  error: GroupMePushError;
}
