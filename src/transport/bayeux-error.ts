import type { FayeError } from 'faye';
import { SubscriptionError } from '../errors/subscription-error.js';

/**
 * Bayeux errors are strings shaped `code:args:message`, such as
 * `401:<clientId>:Unknown client` or `401::Access token authentication failed`.
 */
export function parseBayeuxError(error: string | null | undefined): FayeError {
  if (!error) return {};
  const match = /^(\d+):([^:]*):(.*)$/s.exec(error);
  return match ? { code: Number(match[1]), params: match[2]!.split(','), message: match[3] } : { message: error };
}

/**
 * A refusal that names the client id it was sent with (`401:<clientId>:...`) is about that
 * session, not the token or the channel: faye's own "Unknown client" has that shape. Only
 * the structure is read, never the wording.
 */
export function namesSession(error: FayeError | undefined, clientId: string | null): boolean {
  return error?.code === 401 && clientId !== null && clientId !== '' && (error.params ?? []).includes(clientId);
}

/**
 * A refused subscription as our error. A 401 here is ambiguous (a bad token, a channel that
 * is not yours, or a session GroupMe forgot: `401::Invalid client id`), so the client
 * settles it with `GET /users/me`; see `SubscriptionError.status`.
 */
export function subscriptionFailure(channel: string, error: FayeError | undefined): SubscriptionError {
  const code = typeof error?.code === 'number' ? error.code : null;
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : null;
  return new SubscriptionError(channel, code, message);
}
