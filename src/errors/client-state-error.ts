import { GroupMePushError } from './groupme-push-error.js';

/** A method was called in a state where it cannot work, such as subscribing before `start()`. */
export class ClientStateError extends GroupMePushError {
  override name = 'ClientStateError';
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}
