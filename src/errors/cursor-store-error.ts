import { GroupMePushError } from './groupme-push-error.js';

/**
 * A cursor file could not be read or written, or holds something other than cursors. The
 * cursors set meanwhile are kept and written by the next attempt, so fixing the cause
 * (a missing directory, a full disk, a corrupt file) loses none of them. Never final.
 */
export class CursorStoreError extends GroupMePushError {
  override name = 'CursorStoreError';
  /** The cursor file, as given to the store. */
  readonly path: string;
  readonly operation: 'read' | 'write';
  /**
   * True when the file was read but is not a JSON object of message ids: it is left as it
   * is, for you to fix or delete, rather than overwritten.
   */
  readonly corrupt: boolean;

  constructor(path: string, operation: 'read' | 'write', detail: string, options: { corrupt?: boolean; cause?: unknown } = {}) {
    const what = options.corrupt ? 'is corrupt' : `could not be ${operation === 'read' ? 'read' : 'written'}`;
    super('CURSOR_STORE', `The cursor file ${path} ${what}: ${detail}`, { cause: options.cause });
    this.path = path;
    this.operation = operation;
    this.corrupt = options.corrupt ?? false;
  }
}
