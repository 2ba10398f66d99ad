import { GroupMePushError } from './groupme-push-error.js';

/** The push server refused the Bayeux handshake, so no channel can be subscribed. */
export class HandshakeError extends GroupMePushError {
  override name = 'HandshakeError';
  constructor(serverMessage: string | null) {
    super('HANDSHAKE_REFUSED', `The push server refused the handshake${serverMessage ? `: ${serverMessage}` : '.'}`);
  }
}
