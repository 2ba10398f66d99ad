import { GroupMePushError } from './groupme-push-error.js';

/**
 * A stream entry could not be read back as an event: a field is missing, its `raw` is not
 * JSON, or it was written by a newer format version. `entryId` says which entry.
 */
export class StreamEntryError extends GroupMePushError {
  override name = 'StreamEntryError';
  readonly entryId: string | null;

  constructor(problem: string, entryId: string | null = null) {
    super('STREAM_ENTRY_UNREADABLE', `The stream entry${entryId ? ` ${entryId}` : ''} cannot be decoded: ${problem}.`);
    this.entryId = entryId;
  }
}
