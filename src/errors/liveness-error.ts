import { GroupMePushError } from './groupme-push-error.js';

/** Nothing arrived on the connection for longer than `livenessTimeoutMs`: it was rebuilt. */
export class LivenessError extends GroupMePushError {
  override name = 'LivenessError';
  constructor(detail: string) {
    super('CONNECTION_SILENT', `The push connection went silent (${detail}), so it is being rebuilt.`);
  }
}
