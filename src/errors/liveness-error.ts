import { GroupMePushError } from './groupme-push-error.js';

/**
 * The connection was found dead: after a quiet spell a probe went unanswered, or the process
 * was suspended (a laptop that slept). It was rebuilt, and what was missed is caught up.
 */
export class LivenessError extends GroupMePushError {
  override name = 'LivenessError';
  constructor(detail: string) {
    super('CONNECTION_SILENT', `The push connection is dead (${detail}), so it is being rebuilt.`);
  }
}
