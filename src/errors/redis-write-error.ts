import { GroupMePushError } from './groupme-push-error.js';

/**
 * Writing to Redis failed (it is away, refused the command, or is out of memory). The
 * events concerned stay in the sink's buffer and are written again after `retryInMs`;
 * the Redis error is the `cause`.
 */
export class RedisWriteError extends GroupMePushError {
  override name = 'RedisWriteError';
  /** How many events wait in the buffer now. */
  readonly buffered: number;
  readonly retryInMs: number;

  constructor(buffered: number, retryInMs: number, cause: unknown) {
    super(
      'REDIS_WRITE_FAILED',
      `Writing to Redis failed; ${buffered} event${buffered === 1 ? '' : 's'} wait in the buffer and are retried in ${Math.round(retryInMs)} ms.`,
      { cause },
    );
    this.buffered = buffered;
    this.retryInMs = retryInMs;
  }
}
