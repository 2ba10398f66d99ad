import { GroupMePushError } from './groupme-push-error.js';

/**
 * The sink's buffer was full, so an event GroupMe keeps no history of (typing, a reaction,
 * a read receipt...) was dropped rather than hold up messages. Messages are never dropped:
 * they wait for room, and their cursor waits with them.
 */
export class SinkOverflowError extends GroupMePushError {
  override name = 'SinkOverflowError';
  readonly eventType: string;
  readonly maxBuffered: number;

  constructor(eventType: string, maxBuffered: number) {
    super('SINK_OVERFLOW', `The sink's buffer holds its maximum of ${maxBuffered} events, so a ${eventType} event was dropped.`);
    this.eventType = eventType;
    this.maxBuffered = maxBuffered;
  }
}
