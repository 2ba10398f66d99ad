import { GroupMePushError } from './groupme-push-error.js';

/** A feature needs something this platform lacks, such as a file system in a browser. */
export class UnsupportedPlatformError extends GroupMePushError {
  override name = 'UnsupportedPlatformError';
  constructor(message: string) {
    super('UNSUPPORTED_PLATFORM', message);
  }
}
