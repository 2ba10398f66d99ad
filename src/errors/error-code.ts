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
 * - `CURSOR_STORE`: also `CursorStoreError`, `FileCursorStore` could not read or write its file.
 * - `REDIS_WRITE_FAILED`: `RedisWriteError` (`groupme-push/redis`), an append failed; it is retried.
 * - `SINK_OVERFLOW`: `SinkOverflowError` (`groupme-push/redis`), the sink's buffer was full and dropped an event other than a message.
 * - `STREAM_ENTRY_UNREADABLE`: `StreamEntryError` (`groupme-push/redis`), a stream entry could not be decoded.
 *
 * Plain `GroupMePushError`s, wrapping what went wrong as their `cause`:
 *
 * - `RECONNECT_FAILED`: a reconnect attempt failed; the next one is scheduled.
 * - `CATCH_UP_FAILED`: catching up over REST failed, for one conversation or the listing; retried.
 * - `CURSOR_STORE`: your cursor store failed to save or flush a cursor.
 * - `DELIVERY_OVERFLOW`: a conversation's queue was full and an event other than a message was dropped.
 * - `START_FAILED`: `start()` failed with something that was not an `Error`.
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
  | 'CURSOR_STORE'
  | 'DELIVERY_OVERFLOW'
  | 'START_FAILED'
  | 'REDIS_WRITE_FAILED'
  | 'SINK_OVERFLOW'
  | 'STREAM_ENTRY_UNREADABLE';
