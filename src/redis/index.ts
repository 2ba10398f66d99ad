// `groupme-push/redis`: cursors and a stream sink on Redis, through ioredis (an optional
// peer dependency, loaded only by this entry). Public exports only.
export { RedisStreamSink, DEFAULT_STREAM_KEY } from './redis-stream-sink.js';
export type {
  AppendOutcome,
  AttachOptions,
  EventSource,
  RedisStreamSinkEvents,
  RedisStreamSinkOptions,
  SinkAvailability,
  SinkStats,
} from './redis-stream-sink.js';
export { RedisCursorStore, defaultCursorKey } from './redis-cursor-store.js';
export type { RedisCursorStoreOptions } from './redis-cursor-store.js';
export { decodeStreamEntry, encodeStreamEntry, STREAM_ENTRY_VERSION } from './stream-entry.js';
export type { StreamEntry, StreamEntryFields } from './stream-entry.js';
export type { DedupeScope } from './claim.js';
export { StreamEntryError } from '../errors/stream-entry-error.js';
export { RedisWriteError } from '../errors/redis-write-error.js';
export { SinkOverflowError } from '../errors/sink-overflow-error.js';
