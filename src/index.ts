export { PushClient } from './client/push-client.js';
export type { PushClientEvents, EventsOptions, CatchUpReport, CatchUpFailure } from './client/push-client.js';
export type { PushClientOptions } from './client/options.js';
export { DEFAULT_PUSH_URL } from './client/options.js';
export type { ConnectionState, StateChange } from './client/connection-state.js';
export type { Listener } from './client/listeners.js';

export { parsePushMessage } from './events/parse.js';
export { parseMessage, parseGroupMessage, parseDirectMessage } from './events/parse-message.js';
export {
  parseChannelPath,
  userChannel,
  groupChannel,
  directMessageChannel,
  toPushChatId,
  toRestChatId,
  chatIdFor,
} from './events/channel.js';
export type { ChannelKind, PushChannel } from './events/channel.js';
export type * from './events/types.js';
export type * from './events/message.js';
export type * from './events/attachments.js';
export type * from './events/system-events.js';

export { GroupMeApi, DEFAULT_API_URL } from './rest/groupme-api.js';
export type { RateLimit } from './rest/rate-limiter.js';
export { MemoryCursorStore } from './recovery/cursor-store.js';
export type { CursorStore } from './recovery/cursor-store.js';
export { FileCursorStore } from './recovery/file-cursor-store.js';
export { WebStorageCursorStore } from './recovery/web-storage-cursor-store.js';
export type { StorageLike } from './recovery/web-storage-cursor-store.js';
export type { GroupMeApiOptions, CallOptions, SendOptions } from './rest/groupme-api.js';
export type * from './rest/types.js';
export type { RetryPolicy } from './rest/retry-policy.js';

export { GroupMePushError } from './errors/groupme-push-error.js';
export type { ErrorCode } from './errors/error-code.js';
export { AuthenticationError } from './errors/authentication-error.js';
export { ApiError } from './errors/api-error.js';
export { RateLimitError } from './errors/rate-limit-error.js';
export { NetworkError } from './errors/network-error.js';
export { SubscriptionError } from './errors/subscription-error.js';
export { HandshakeError } from './errors/handshake-error.js';
export { TimeoutError } from './errors/timeout-error.js';
export { ClientStoppedError } from './errors/client-stopped-error.js';
export { ClientStateError } from './errors/client-state-error.js';
export { ListenerError } from './errors/listener-error.js';
export { LivenessError } from './errors/liveness-error.js';
export { SessionLostError } from './errors/session-lost-error.js';
export { UnsupportedPlatformError } from './errors/unsupported-platform-error.js';
export { CursorStoreError } from './errors/cursor-store-error.js';
