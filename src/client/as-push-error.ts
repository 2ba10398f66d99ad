import type { ErrorCode } from '../errors/error-code.js';
import { GroupMePushError } from '../errors/groupme-push-error.js';

/** A GroupMePushError as it is, anything else wrapped in one with `code` and `message`. */
export function asPushError(error: unknown, code: ErrorCode, message: string): GroupMePushError {
  return error instanceof GroupMePushError ? error : new GroupMePushError(code, message, { cause: error });
}
