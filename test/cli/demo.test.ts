import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDemo } from '../../src/cli/demo.js';

describe('demo', { timeout: 20_000 }, () => {
  it('plays a conversation that shows every event type, then stops cleanly', async () => {
    const lines: string[] = [];
    await runDemo((line) => lines.push(line));
    const summary = lines.at(-1) ?? '';
    for (const type of [
      'line.create', 'direct_message.create', 'like.create', 'favorite', 'message.deleted', 'message.update',
      'membership.create', 'typing', 'read_receipt.create', 'ping', 'unknown',
    ]) {
      assert.match(summary, new RegExp(`\\b${type.replace('.', '\\.')}\\b`), `${type} in: ${summary}`);
    }
    assert.ok(lines.some((l) => l.includes('Ada: Who is in for Saturday?')));
    assert.ok(lines.some((l) => l.includes('-- stopped')));
  });
});
