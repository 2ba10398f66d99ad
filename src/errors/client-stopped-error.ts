import { GroupMePushError } from './groupme-push-error.js';

/** The operation could not finish because `stop()` was called first. */
export class ClientStoppedError extends GroupMePushError {
  override name = 'ClientStoppedError';
  constructor(operation: string) {
    super('CLIENT_STOPPED', `The client was stopped before ${operation} finished.`);
  }
}
