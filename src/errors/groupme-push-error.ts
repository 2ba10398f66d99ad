/**
 * The base of every error groupme-push raises, so `instanceof GroupMePushError` tells ours
 * from anything else. `code` is stable across versions; messages are full sentences and
 * never contain the access token.
 */
export class GroupMePushError extends Error {
  // A literal in every class: minifiers rename classes, and `name` must survive a bundle.
  override name = 'GroupMePushError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
