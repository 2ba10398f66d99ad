import { GroupMePushError } from './groupme-push-error.js';

/**
 * A listener you registered threw. The client caught it so other listeners and the
 * connection carry on; the original error is the `cause`.
 */
export class ListenerError extends GroupMePushError {
  override name = 'ListenerError';
  readonly eventName: string;

  constructor(eventName: string, cause: unknown) {
    super('LISTENER_THREW', `A listener for "${eventName}" threw; the client carried on.`, { cause });
    this.eventName = eventName;
  }
}
