import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userChannel } from '../../src/events/channel.js';
import { parsePushMessage } from '../../src/events/parse.js';

// A push-level `{"type": "subscribe"}` exists (protocol README: two clients skip it); no
// capture shows more than its type.

describe('the push-level subscribe payload', () => {
  it('is its own event type, not unknown', () => {
    const channel = userChannel('93645911');
    const data = { type: 'subscribe' };
    assert.deepEqual(parsePushMessage(channel, data), {
      type: 'subscribe',
      fields: data,
      channel,
      receivedAt: null,
      alert: null,
      origin: 'push',
      raw: data,
    });
  });

  it('keeps every field it has reachable, known or not', () => {
    const data = { type: 'subscribe', alert: '', received_at: 1751412575000, subject: { channel: '/user/93645911' }, extra: [1] };
    const e = parsePushMessage(userChannel('93645911'), data, 'catch-up');
    assert.ok(e.type === 'subscribe');
    assert.equal(e.fields, data, 'the very payload');
    assert.deepEqual(e.fields.subject, { channel: '/user/93645911' });
    assert.equal(e.alert, '');
    assert.deepEqual(e.receivedAt, new Date(1751412575000));
    assert.equal(e.origin, 'catch-up');
    assert.deepEqual(e.fields.extra, [1]);
  });
});
