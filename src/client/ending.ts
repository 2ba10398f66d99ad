import { AuthenticationError } from '../errors/authentication-error.js';
import { GroupMePushError } from '../errors/groupme-push-error.js';
import type { HandshakeError } from '../errors/handshake-error.js';
import type { LivenessError } from '../errors/liveness-error.js';
import type { SessionLostError } from '../errors/session-lost-error.js';
import { asPushError } from './as-push-error.js';

/** Every way a connection ends. */
export type EndCause =
  | { readonly kind: 'dropped' }
  | { readonly kind: 'session-lost'; readonly error: SessionLostError }
  | { readonly kind: 'handshake-refused'; readonly error: HandshakeError }
  | { readonly kind: 'silent' | 'suspended'; readonly error: LivenessError }
  | { readonly kind: 'attempt-failed'; readonly error: unknown }
  | { readonly kind: 'start-failed'; readonly error: unknown }
  | { readonly kind: 'token-refused'; readonly error: AuthenticationError }
  | { readonly kind: 'stop' };

/** What the client does about it. */
export interface Ending {
  readonly recovery: 'reconnect' | 'fail' | 'stop';
  /** The `reason` of the state change, in a few words. */
  readonly reason: string;
  readonly error: Error | null;
}

/**
 * The one place that decides what each end of a connection leads to. Only a refused token
 * (or a `start()` that could not finish) is final; everything else is a new connection
 * after a backoff delay.
 */
export function endingFor(cause: EndCause): Ending {
  switch (cause.kind) {
    case 'dropped':
      // faye's own recovery loses what is published meanwhile; a new connection catches it up.
      return { recovery: 'reconnect', reason: 'transport down', error: null };
    case 'session-lost':
      return { recovery: 'reconnect', reason: 'session lost', error: cause.error };
    case 'handshake-refused':
      return { recovery: 'reconnect', reason: 'handshake refused', error: cause.error };
    case 'silent':
      return { recovery: 'reconnect', reason: 'connection silent', error: cause.error };
    case 'suspended':
      return { recovery: 'reconnect', reason: 'process suspended', error: cause.error };
    case 'attempt-failed':
      if (cause.error instanceof AuthenticationError) return { recovery: 'fail', reason: 'authentication failed', error: cause.error };
      return { recovery: 'reconnect', reason: 'reconnect failed', error: asPushError(cause.error, 'RECONNECT_FAILED', 'A reconnect attempt failed.') };
    case 'start-failed':
      return { recovery: 'fail', reason: 'start failed', error: cause.error instanceof Error ? cause.error : new GroupMePushError('START_FAILED', 'start() failed.', { cause: cause.error }) };
    case 'token-refused':
      return { recovery: 'fail', reason: 'authentication failed', error: cause.error };
    case 'stop':
      return { recovery: 'stop', reason: 'stop', error: null };
  }
}
