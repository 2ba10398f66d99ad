import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupChannel, userChannel } from '../../src/events/channel.js';
import { parsePushMessage } from '../../src/events/parse.js';
import type { PushEvent } from '../../src/events/types.js';
import { sample, sampleFiles } from '../support/samples.js';
import { reachable, type Renames, SAME, systemRenames } from './reachable.js';

// A typed view never drops what the payload says: every key of every sample must be found
// on the typed object (the mapping is documented in reachable.ts).

/** Where each push type puts its payload's `subject` (and the few keys it renames). */
const PUSH_RENAMES: Record<string, Renames> = {
  'line.create': { subject: 'message' },
  'direct_message.create': { subject: 'message' },
  'message.update': { subject: 'message' },
  'message.deleted': { subject: 'message' },
  'like.create': { subject: SAME, 'subject.line': 'message', 'subject.user_id': 'reactorId' },
  favorite: { subject: SAME, 'subject.line': 'message', 'subject.user_id': 'reactorId' },
  'membership.create': { subject: 'group' },
  'read_receipt.create': { subject: SAME, 'subject.id': 'receiptId' },
  typing: { started: 'startedAt' },
  ping: {},
};

/** Renames of the system event a message carries, at the paths a subject puts it. */
function eventRenames(subject: unknown): Renames {
  const type = (subject as { event?: { type?: unknown } } | undefined)?.event?.type;
  const out: Record<string, string> = {};
  for (const [path, to] of Object.entries(systemRenames(typeof type === 'string' ? type : ''))) out[`event.${path}`] = to;
  return out;
}

describe('every key of every sample is reachable on its typed event', () => {
  for (const file of sampleFiles.filter((f) => !f.startsWith('meta.') && !f.startsWith('event.'))) {
    it(file, () => {
      const data = sample(file);
      const event = parsePushMessage(userChannel('1'), data);
      assert.notEqual(event.type, 'unknown');
      const renames = { ...PUSH_RENAMES[event.type], ...eventRenames(data.subject) };
      assert.deepEqual(reachable(data, event, renames), []);
    });
  }

  for (const file of sampleFiles.filter((f) => f.startsWith('event.'))) {
    it(`${file}, inside a system message`, () => {
      const systemEvent = sample(file);
      const subject = { id: '1', group_id: '2', user_id: 'system', sender_id: 'system', system: true, text: 'x', event: systemEvent };
      const e = parsePushMessage(groupChannel('2'), { type: 'line.create', subject }) as Extract<PushEvent, { type: 'line.create' }>;
      assert.ok(e.message.event && e.message.event.type !== 'unknown', `${file} is typed`);
      assert.deepEqual(reachable(systemEvent, e.message.event, systemRenames(systemEvent.type as string)), []);
    });
  }
});

describe('the reachability walk itself', () => {
  it('reports a key the typed object lacks, however deep', () => {
    assert.deepEqual(reachable({ a_b: 1, c: { d_e: 2 } }, { aB: 1, c: {} }, {}), ['c.d_e (looked for dE)']);
    assert.deepEqual(reachable({ list: [{ x: 1 }] }, { list: [{}] }, {}), ['list[].x (looked for x)']);
  });

  it('reports an object read as a primitive, unless it said nothing or was only an id', () => {
    assert.deepEqual(reachable({ loc: { lat: '', name: null } }, { loc: null }, {}), []);
    assert.deepEqual(reachable({ loc: { lat: '1', name: null } }, { loc: null }, {}), ['loc: an object read as null']);
    assert.deepEqual(reachable({ conversation: { id: 7 } }, { conversationId: '7' }, { conversation: 'conversationId' }), []);
    assert.deepEqual(reachable({ conversation: { id: 7, x: 1 } }, { conversationId: '7' }, { conversation: 'conversationId' }), [
      'conversation: an object read as "7"',
    ]);
  });

  it('excuses an object only when an unknown counterpart keeps it whole as raw', () => {
    const hologram = { type: 'hologram', depth: 3 };
    assert.deepEqual(reachable({ a: [hologram] }, { a: [{ type: 'unknown', originalType: 'hologram', raw: hologram }] }, {}), []);
    assert.deepEqual(reachable({ a: [hologram] }, { a: [{ type: 'unknown', raw: { ...hologram } }] }, {}), ['a[].depth (looked for depth)']);
    const data = { type: 'ping', extra: 1 };
    assert.deepEqual(reachable(data, { type: 'ping', raw: data }, {}), ['extra (looked for extra)'], "a typed event's raw excuses nothing");
  });

  it('follows renames by path suffix, and SAME for fields lifted onto the parent', () => {
    assert.deepEqual(reachable({ s: { user_id: 1, t: 2 } }, { reactorId: '1', t: 2 }, { s: SAME, 's.user_id': 'reactorId' }), []);
    assert.deepEqual(reachable({ a: { data: { type: 'x' } } }, { a: { data: { kind: 'x' } } }, { 'data.type': 'kind' }), []);
  });
});
