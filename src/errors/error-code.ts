/**
 * The `code` of every error groupme-push raises, stable across versions: switch on it, not
 * on messages. By class:
 *
 * - `AUTHENTICATION_FAILED`: `AuthenticationError`, GroupMe refused the token (final).
 * - `API_ERROR`: `ApiError` and its `RateLimitError`, a REST call answered an error status.
 * - `NETWORK_ERROR`: `NetworkError`, a REST call got no HTTP answer at all.
 * - `SUBSCRIPTION_REFUSED`: `SubscriptionError`, the push server refused a channel.
 * - `SESSION_LOST`: `SessionLostError`, the push server forgot the session (the client recovers).
 * - `HANDSHAKE_REFUSED`: `HandshakeError`, the push server refused the handshake.
 * - `TIMEOUT`: `TimeoutError`, a subscription or `ping()` went unacknowledged.
 * - `CONNECTION_SILENT`: `LivenessError`, a probe went unanswered or the process was suspended.
 * - `CLIENT_STOPPED`: `ClientStoppedError`, `stop()` came first.
 * - `INVALID_STATE`: `ClientStateError`, a call the client's state does not allow.
 * - `LISTENER_THREW`: `ListenerError`, one of your listeners threw.
 * - `UNSUPPORTED_PLATFORM`: `UnsupportedPlatformError`, e.g. `FileCursorStore` in a browser.
 *
 * Plain `GroupMePushError`s, wrapping what went wrong as their `cause`:
 *
 * - `RECONNECT_FAILED`: a reconnect attempt failed; the next one is scheduled.
 * - `CATCH_UP_FAILED`: catching up over REST failed, for one conversation or the listing; retried.
 * - `CURSOR_STORE`: your cursor store failed to save or flush a cursor.
 */
export type ErrorCode =
  | 'AUTHENTICATION_FAILED'
  | 'API_ERROR'
  | 'NETWORK_ERROR'
  | 'SUBSCRIPTION_REFUSED'
  | 'SESSION_LOST'
  | 'HANDSHAKE_REFUSED'
  | 'TIMEOUT'
  | 'CONNECTION_SILENT'
  | 'CLIENT_STOPPED'
  | 'INVALID_STATE'
  | 'LISTENER_THREW'
  | 'UNSUPPORTED_PLATFORM'
  | 'RECONNECT_FAILED'
  | 'CATCH_UP_FAILED'
  | 'CURSOR_STORE';
