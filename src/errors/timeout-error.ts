import { GroupMePushError } from './groupme-push-error.js';

/** Something the push server should have acknowledged was not, within the allowed time. */
export class TimeoutError extends GroupMePushError {
  override name = 'TimeoutError';
  readonly operation: string;
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number) {
    super('TIMEOUT', `The push server did not acknowledge ${operation} within ${timeoutMs} ms.`);
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}
