import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { groupChannel, parsePushMessage, type PushEventType } from '../../src/index.js';

const channel = groupChannel('1');
const TYPES: readonly PushEventType[] = [
  'line.create', 'direct_message.create', 'like.create', 'favorite', 'message.deleted', 'message.update',
  'membership.create', 'typing', 'read_receipt.create', 'ping', 'unknown',
];
const KNOWN_WIRE_TYPES = TYPES.filter((t) => t !== 'unknown');

/** An id as GroupMe might (or might not) send it. */
const anyId = fc.oneof(fc.stringMatching(/^\d{1,19}$/), fc.nat(), fc.constant(null), fc.jsonValue());
const looseMessage = fc.record(
  {
    id: anyId, group_id: anyId, chat_id: anyId, user_id: anyId, sender_id: anyId, recipient_id: anyId,
    text: fc.oneof(fc.string(), fc.constant(null), fc.jsonValue()),
    created_at: fc.oneof(fc.integer(), fc.double(), fc.string()),
    deleted_at: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    attachments: fc.oneof(fc.array(fc.record({ type: fc.string(), url: fc.jsonValue() })), fc.jsonValue()),
    event: fc.oneof(fc.record({ type: fc.string(), data: fc.jsonValue() }), fc.jsonValue()),
    system: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const loosePayload = fc.record(
  {
    type: fc.constantFrom(...KNOWN_WIRE_TYPES),
    subject: fc.oneof(looseMessage, fc.record({ line: looseMessage, reactions: fc.jsonValue(), user_id: anyId }), fc.jsonValue()),
    user_id: anyId,
    started: fc.jsonValue(),
    received_at: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
    alert: fc.jsonValue(),
  },
  { requiredKeys: ['type'] },
);

function check(data: unknown): void {
  const event = parsePushMessage(channel, data);
  assert.ok(TYPES.includes(event.type));
  assert.equal(event.raw, data);
  assert.equal(event.channel, channel);
}

describe('parsePushMessage is total', () => {
  it('returns an event for arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 500 });
  });

  it('returns an event for arbitrary payloads of every known type (deep paths)', () => {
    fc.assert(fc.property(loosePayload, check), { numRuns: 1000 });
  });

  it('types every well-formed group message, whatever its text and ids', () => {
    const wellFormed = fc.record({
      id: fc.stringMatching(/^\d{1,19}$/),
      group_id: fc.oneof(fc.stringMatching(/^\d{1,12}$/), fc.nat()),
      user_id: fc.stringMatching(/^\d{1,12}$/),
      text: fc.oneof(fc.string(), fc.constant(null)),
      created_at: fc.integer({ min: 0, max: 4_000_000_000 }),
    });
    fc.assert(
      fc.property(wellFormed, (subject) => {
        const event = parsePushMessage(channel, { type: 'line.create', subject });
        assert.equal(event.type, 'line.create');
        if (event.type !== 'line.create') return;
        assert.equal(event.message.id, subject.id);
        assert.equal(event.message.groupId, String(subject.group_id));
        assert.equal(event.message.text, subject.text);
        assert.equal(event.message.createdAt?.getTime(), subject.created_at * 1000);
      }),
      { numRuns: 300 },
    );
  });

  it('never mutates its input', () => {
    fc.assert(
      fc.property(loosePayload, (data) => {
        const before = JSON.stringify(data);
        parsePushMessage(channel, data);
        assert.equal(JSON.stringify(data), before);
      }),
      { numRuns: 300 },
    );
  });
});
