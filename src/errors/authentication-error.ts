import { GroupMePushError } from './groupme-push-error.js';

/**
 * GroupMe refused the access token (REST 401, or a push subscribe answered
 * "Access token authentication failed"). Final: retrying with the same token cannot work.
 */
export class AuthenticationError extends GroupMePushError {
  override name = 'AuthenticationError';
  constructor(message = 'GroupMe rejected the access token: check that it is current and copied whole.') {
    super('AUTHENTICATION_FAILED', message);
  }
}
