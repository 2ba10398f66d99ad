import { GroupMePushError } from './groupme-push-error.js';

/**
 * The push server no longer knows this client's Faye session: it refused a request with
 * `401:<clientId>:Unknown client`, advised a new handshake, or handed out a new client id.
 * GroupMe reaps idle sessions, and a server restart forgets them all. Not final: the
 * client handshakes again, re-subscribes, and catches up what was published meanwhile.
 */
export class SessionLostError extends GroupMePushError {
  override name = 'SessionLostError';
  constructor(detail: string) {
    super('SESSION_LOST', `The push server no longer knows this connection's session (${detail}), so the client is opening a new one.`);
  }
}
