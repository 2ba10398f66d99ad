import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareIds } from '../../src/events/channel.js';

/** The plain version: both digits → length first, else string order. */
function reference(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

describe('compareIds', () => {
  it('orders runs of digits as numbers, beyond 2^53 too', () => {
    assert.ok(compareIds('93645911', '131245991') < 0);
    assert.ok(compareIds('175000000000000008', '175000000000000007') > 0);
    assert.equal(compareIds('42', '42'), 0);
  });

  it('has the sign of the plain version for any two strings', () => {
    const digits = fc.stringMatching(/^\d{1,20}$/);
    const any = fc.oneof(digits, fc.string({ maxLength: 6 }), fc.constantFrom('', '1a', 'a1', '12_34', '12+34'));
    fc.assert(
      fc.property(any, any, (a, b) => {
        assert.equal(Math.sign(compareIds(a, b)), Math.sign(reference(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }),
      { numRuns: 2000 },
    );
  });
});
