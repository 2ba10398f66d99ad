import type { ErrorCode } from './error-code.js';

/**
 * The base of every error groupme-push raises, so `instanceof GroupMePushError` tells ours
 * from anything else. `code` is stable across versions (see `ErrorCode`); messages are full
 * sentences and never contain the access token.
 */
export class GroupMePushError extends Error {
  // A literal in every class: minifiers rename classes, and `name` must survive a bundle.
  override name = 'GroupMePushError';
  readonly code: ErrorCode;

  /** An error with one of the documented codes. */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
