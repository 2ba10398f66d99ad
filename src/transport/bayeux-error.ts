import type { FayeError } from 'faye';
import { AuthenticationError } from '../errors/authentication-error.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import { SubscriptionError } from '../errors/subscription-error.js';

/** Bayeux errors are strings shaped `code:args:message`, such as `401::Access token authentication failed`. */
export function parseBayeuxError(error: string | null): FayeError {
  if (!error) return {};
  const match = /^(\d+):[^:]*:(.*)$/s.exec(error);
  return match ? { code: Number(match[1]), message: match[2] } : { message: error };
}

/** Maps a refused subscription to our error: 401 is about the token, anything else the channel. */
export function subscriptionFailure(channel: string, error: FayeError | undefined): GroupMePushError {
  const code = typeof error?.code === 'number' ? error.code : null;
  const message = typeof error?.message === 'string' && error.message !== '' ? error.message : null;
  if (code === 401 || /auth/i.test(message ?? '')) return new AuthenticationError();
  return new SubscriptionError(channel, code, message);
}
