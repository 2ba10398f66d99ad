import { GroupMePushError } from './groupme-push-error.js';

/**
 * The push server refused a subscription for a reason other than the token, such as a
 * channel that is not yours. Final for that channel.
 */
export class SubscriptionError extends GroupMePushError {
  override name = 'SubscriptionError';
  readonly channel: string;
  /** The Bayeux error code, such as 403, when the server gave one. */
  readonly status: number | null;

  constructor(channel: string, status: number | null, serverMessage: string | null) {
    super(
      'SUBSCRIPTION_REFUSED',
      `The push server refused the subscription to ${channel}${status ? ` (${status})` : ''}${serverMessage ? `: ${serverMessage}` : '.'}`,
    );
    this.channel = channel;
    this.status = status;
  }
}
