import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SeenIds } from '../../src/recovery/seen-ids.js';

/** The plain two-Set version: the reference the faster one must answer exactly like. */
class ReferenceSeenIds {
  readonly #generation: number;
  #current = new Set<string>();
  #previous = new Set<string>();

  constructor(capacity: number) {
    this.#generation = capacity;
  }

  add(id: string): boolean {
    if (this.#current.has(id) || this.#previous.has(id)) return false;
    if (this.#current.size >= this.#generation) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    this.#current.add(id);
    return true;
  }

  has(id: string): boolean {
    return this.#current.has(id) || this.#previous.has(id);
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}

describe('SeenIds', () => {
  it('rejects a repeat, remembers at least its capacity, and never more than twice that', () => {
    const seen = new SeenIds(4);
    assert.equal(seen.add('a'), true);
    assert.equal(seen.add('a'), false);
    for (const id of ['b', 'c', 'd', 'e']) assert.equal(seen.add(id), true);
    assert.ok(seen.size <= 8);
    // Whatever the moment, the last `capacity` ids are remembered.
    for (let i = 0; i < 100; i++) {
      seen.add(`x${i}`);
      for (let back = 0; back < 4 && back <= i; back++) assert.equal(seen.add(`x${i - back}`), false, `x${i - back} after x${i}`);
      assert.ok(seen.size <= 8);
    }
    assert.equal(seen.add('a'), true, 'long forgotten');
  });

  it('answers exactly as two plain Sets would, whatever the order ids come in', () => {
    // Ids that mostly grow (live traffic) with older ones and repeats mixed in (catch-up,
    // a message on two channels), of several lengths, digits or not, and strings no id
    // should be (lone surrogates, very long) that must still round-trip exactly.
    const id = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map(String),
      fc.integer({ min: 0, max: 40 }).map((n) => `1750000000000000${String(n).padStart(2, '0')}`),
      fc.constantFrom('a', 'b', 'ab', 'x10', 'x9', '', 'é', '\uD800', '\uDC00\uD800', 'z'.repeat(10_000), 'z'.repeat(9_999) + 'y'),
      fc.string({ unit: 'binary', maxLength: 3 }),
      // Digits of every length around the packed form's edges (9 and 18 digits), leading
      // zeros included, which must not pack to the same number as the id without them.
      fc.stringMatching(/^\d{1,20}$/),
      fc.constantFrom('0', '00', '01', '10', '000000001', '100000000', '1000000000', '1000000001', '0100000000', '999999999999999999', '1000000000000000000', '17500000000000000a', '20', '1:', '/9', '19'),
    );
    const step = fc.oneof(fc.record({ add: id }), fc.record({ has: id }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 200 }), (capacity, steps) => {
        const seen = new SeenIds(capacity);
        const reference = new ReferenceSeenIds(capacity);
        for (const s of steps) {
          if ('add' in s) assert.equal(seen.add(s.add), reference.add(s.add), `add ${s.add}`);
          else assert.equal(seen.has(s.has), reference.has(s.has), `has ${s.has}`);
          assert.equal(seen.size, reference.size);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart ids that differ only where packing them as numbers could confuse them', () => {
    const tricky = ['0', '00', '01', '1', '10', '000000001', '100000000', '1000000000', '0100000000', '999999999999999999', '1000000000000000000', '1:', '20', '/9', '-1', '1e3', '1000', '17500000000000000a', ' 1', '1 '];
    const seen = new SeenIds(100);
    for (const id of tricky) assert.equal(seen.add(id), true, `first ${JSON.stringify(id)}`);
    for (const id of tricky) assert.equal(seen.add(id), false, `again ${JSON.stringify(id)}`);
    assert.equal(seen.has('2'), false);
    assert.equal(seen.has('4294967295'), false);
  });

  it('holds a full window of GroupMe ids in 8 bytes each, and still answers for all of them', () => {
    // A pool of thousands of busy accounts holds one window each: as UTF-16 code units
    // with their ends, 20,000 ids of 18 digits took 1.1 MB a client.
    const seen = new SeenIds(10_000);
    const ids = Array.from({ length: 30_000 }, (_, i) => String(175_000_000_000_000_000n + BigInt(i * 7_919)));
    for (const id of ids) assert.equal(seen.add(id), true);
    assert.ok(seen.bytes <= 20_000 * 8, `${seen.bytes} bytes`);
    for (const id of ids.slice(-10_000)) assert.equal(seen.has(id), true, id);
    assert.equal(seen.has(ids[0]!), false, 'two generations back');
  });

  it('takes a long run of growing ids without a lookup, and still finds an old one afterwards', () => {
    const seen = new SeenIds(1000);
    const ids = Array.from({ length: 1500 }, (_, i) => String(175_000_000_000_000_000n + BigInt(i)));
    for (const id of ids) assert.equal(seen.add(id), true);
    assert.equal(seen.add(ids[700]!), false, 'within the last 1,000');
    assert.equal(seen.add(ids[1499]!), false, 'the newest');
    assert.equal(seen.has(ids[0]!), true, 'the previous generation is still whole');
  });
});
