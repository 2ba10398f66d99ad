import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipReason } from './harness.js';

describe('when the browser tests are skipped', () => {
  it('only without Chromium, and never on CI, where its absence fails the run', () => {
    assert.equal(skipReason(true, {}), false);
    assert.equal(skipReason(true, { CI: 'false' }), false);
    assert.equal(skipReason(false, { CI: 'true' }), false);
    assert.equal(skipReason(false, { CI: '1' }), false);
    assert.equal(skipReason(false, { CI: 'TRUE' }), false);
  });

  it('takes CI=false, CI=0 and an empty CI for "not CI"', () => {
    for (const CI of ['false', '0', '', undefined]) assert.match(String(skipReason(false, { CI })), /needs \/usr\/bin\/chromium/, `CI=${CI}`);
  });
});
