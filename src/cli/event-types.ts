import type { PushEvent } from '../events/types.js';

type EventType = PushEvent['type'];

/** Every event type `listen --type` accepts, in the README's order. */
export const EVENT_TYPES = [
  'line.create',
  'direct_message.create',
  'like.create',
  'favorite',
  'message.deleted',
  'message.update',
  'membership.create',
  'typing',
  'read_receipt.create',
  'ping',
  'subscribe',
  'unknown',
] as const satisfies readonly EventType[];

// A compile error here means a new event type is missing from the list above.
const complete: [Exclude<EventType, (typeof EVENT_TYPES)[number]>] extends [never] ? true : false = true;
void complete;

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** `a,b` or repeated flags; throws with the list of known types on a typo. */
export function parseTypes(value: string, previous: EventType[] = []): EventType[] {
  const types = [...previous];
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    if (!isEventType(part)) throw new Error(`Unknown event type "${part}"; known types: ${EVENT_TYPES.join(', ')}.`);
    if (!types.includes(part)) types.push(part);
  }
  return types;
}

/**
 * Which events `listen` prints: those named with `--type`, or by default every type but
 * `ping` (GroupMe pings each channel every 30 s: noise, unless asked for by name).
 */
export function eventFilter(types: readonly EventType[] | undefined): (event: PushEvent) => boolean {
  if (!types || types.length === 0) return (event) => event.type !== 'ping';
  const wanted = new Set<string>(types);
  return (event) => wanted.has(event.type);
}
