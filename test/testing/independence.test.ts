import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compareIds, dmChannelId, dmThreadId } from '../../src/testing/id-order.js';

const dir = new URL('../../src/testing/', import.meta.url);

/** Every import or re-export in a file: its specifier and whether it is type-only. */
function importsOf(source: string): Array<{ specifier: string; typeOnly: boolean; statement: string }> {
  const found: Array<{ specifier: string; typeOnly: boolean; statement: string }> = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*'([^']+)'/gm;
  for (const m of source.matchAll(statement)) {
    found.push({ specifier: m[4]!, typeOnly: m[2] !== undefined, statement: m[0].trim() });
  }
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push({ specifier: m[1]!, typeOnly: false, statement: m[0].trim() });
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false, statement: m[0] });
  return found;
}

/**
 * The one runtime import allowed: the faye teardown, which knows faye's internals and
 * nothing of GroupMe, so there is no GroupMe behaviour in it that the server could mirror.
 */
const SHARED = new Set(['../transport/teardown.js']);

describe('the look-alike server is independent of the library it tests', () => {
  it('src/testing imports nothing but types from the rest of the library, and the faye teardown', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 5);
    const offending: string[] = [];
    for (const file of files) {
      for (const { specifier, typeOnly, statement } of importsOf(readFileSync(new URL(file, dir), 'utf8'))) {
        const ownModule = specifier.startsWith('./');
        const runtime = specifier.startsWith('node:') || specifier === 'faye' || SHARED.has(specifier);
        if (!ownModule && !runtime && !typeOnly) offending.push(`${file}: ${statement}`);
      }
    }
    assert.deepEqual(offending, []);
  });

  it('its own id order is numeric, BigInt-safe, and names DM threads lo+hi / lo_hi', () => {
    assert.ok(compareIds('93645911', '131245991') < 0, 'shorter is smaller, whatever string order says');
    assert.ok(compareIds('175000000000000008', '175000000000000007') > 0, 'beyond 2^53');
    assert.equal(compareIds('42', '42'), 0);
    assert.equal(dmThreadId('131245991', '93645911'), '93645911+131245991');
    assert.equal(dmThreadId('93645911', '131245991'), '93645911+131245991');
    assert.equal(dmChannelId('93645911+131245991'), '93645911_131245991');
  });
});
