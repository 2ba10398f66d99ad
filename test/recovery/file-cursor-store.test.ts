import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CursorStoreError, FileCursorStore } from '../../src/index.js';
import { FaultWorld } from '../support/fault-world.js';
import { nextEvent, until } from '../support/wait.js';

/** A CursorStoreError about `file`, whose message names the file and contains `why`. */
function storeError(file: string, operation: 'read' | 'write', why: RegExp, corrupt = false) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof CursorStoreError, `expected a CursorStoreError, got ${String(error)}`);
    assert.equal(error.code, 'CURSOR_STORE');
    assert.equal(error.path, file);
    assert.equal(error.operation, operation);
    assert.equal(error.corrupt, corrupt);
    assert.ok(error.message.includes(file), error.message);
    assert.match(error.message, why);
    return true;
  };
}

async function json(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('FileCursorStore', { timeout: 20_000 }, () => {
  let dir: string;
  let n = 0;
  /** A fresh directory per test, inside one temp directory removed at the end. */
  const fresh = async (): Promise<string> => {
    const path = join(dir, `case-${++n}`);
    await mkdir(path);
    return path;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-cursor-store-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes cursors a new store reads back, and starts empty without a file', async () => {
    const file = join(await fresh(), 'cursors.json');
    const store = new FileCursorStore(file);
    assert.equal(await store.get('group:1'), undefined);
    await store.set('group:1', '100');
    void store.set('dm:1+2', '200');
    await store.flush();
    assert.deepEqual(await json(file), { 'group:1': '100', 'dm:1+2': '200' });
    assert.equal(await new FileCursorStore(file).get('dm:1+2'), '200');
  });

  it('in an unwritable location, rejects with a CursorStoreError naming the file and the cause, and never crashes the process', async () => {
    const blocker = join(await fresh(), 'not-a-dir');
    await writeFile(blocker, 'a regular file where a directory should be');
    const file = join(blocker, 'cursors.json');
    const store = new FileCursorStore(file);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      // Nobody awaits this write, as a fire-and-forget caller would not. The get() shares
      // the file read it starts, so once get() has failed so has that write.
      store.set('group:1', '100');
      await assert.rejects(store.get('group:9'), storeError(file, 'read', /not a directory \(ENOTDIR\)/));
      // Unhandled rejections are reported once the microtask queue drains.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
      await assert.rejects(store.set('group:2', '200'), storeError(file, 'read', /ENOTDIR/));
      await assert.rejects(store.flush(), storeError(file, 'read', /ENOTDIR/));
      // Pending cursors still answer reads.
      assert.equal(await store.get('group:1'), '100');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('writes the pending cursors once the location is fixed, reading the file again rather than remembering the failure', async () => {
    const root = await fresh();
    const blocker = join(root, 'state');
    await writeFile(blocker, 'a regular file where a directory should be');
    const file = join(blocker, 'cursors.json');
    const store = new FileCursorStore(file);
    await assert.rejects(store.get('group:9'), CursorStoreError);
    await assert.rejects(store.set('group:1', '100'), CursorStoreError);
    await assert.rejects(store.flush(), CursorStoreError);

    await rm(blocker);
    await mkdir(blocker);
    await writeFile(file, JSON.stringify({ 'group:9': '900' }));
    assert.equal(await store.get('group:9'), '900');
    await store.set('group:2', '200');
    assert.deepEqual(await json(file), { 'group:9': '900', 'group:1': '100', 'group:2': '200' });
  });

  it('keeps the cursors of a failed write, rejects flush() saying why, and lands them with the next flush()', async () => {
    const root = await fresh();
    const file = join(root, 'cursors.json');
    const store = new FileCursorStore(file);
    await store.set('group:1', '100');
    // A directory where the file goes: the write succeeds, the rename over it cannot.
    await rm(file);
    await mkdir(file);
    store.set('group:1', '101');
    store.set('group:2', '200');
    await assert.rejects(store.flush(), storeError(file, 'write', /\(EISDIR\); 2 cursors wait for the next attempt\./));
    assert.deepEqual(await readdir(root), ['cursors.json'], 'no temp file is left behind');
    assert.equal(await store.get('group:1'), '101');

    await rm(file, { recursive: true });
    await store.flush();
    assert.deepEqual(await json(file), { 'group:1': '101', 'group:2': '200' });
    // Written means no longer pending: another flush has nothing to do and resolves.
    await store.flush();
  });

  it('refuses a file that is not JSON, naming it, leaves it untouched, and saves the cursors once it is fixed', async () => {
    const file = join(await fresh(), 'cursors.json');
    await writeFile(file, '{"group:1": "100", trunc');
    const store = new FileCursorStore(file);
    await assert.rejects(store.get('group:1'), storeError(file, 'read', /is corrupt: it is not valid JSON .*fix or delete it/, true));
    await assert.rejects(store.set('group:2', '200'), storeError(file, 'read', /not valid JSON/, true));
    await assert.rejects(store.flush(), storeError(file, 'read', /not valid JSON/, true));
    assert.equal(await readFile(file, 'utf8'), '{"group:1": "100", trunc');

    await writeFile(file, JSON.stringify({ 'group:1': '100' }));
    assert.equal(await store.get('group:1'), '100');
    await store.flush();
    assert.deepEqual(await json(file), { 'group:1': '100', 'group:2': '200' });
  });

  it('lets a PushClient keep delivering while its cursor file cannot be written, reporting each failure as an error event', async () => {
    const root = await fresh();
    const state = join(root, 'state');
    await mkdir(state);
    const file = join(state, 'cursors.json');
    const store = new FileCursorStore(file);
    const world = await FaultWorld.create({ cursorStore: store });
    try {
      const baseline = nextEvent(world.client, 'catch-up');
      await world.client.start();
      await baseline;
      // The catch-up's last writes (its watermark) must land before the directory goes.
      await store.flush();
      await rm(state, { recursive: true });
      await writeFile(state, 'a regular file where the directory was');
      const ids = world.publish(2, 'unsaved');
      await world.received(ids);
      await until(() => world.errors.some((error) => error instanceof CursorStoreError));
      // stop() frees everything, then says the cursors could not be saved rather than look saved.
      await assert.rejects(world.client.stop(), CursorStoreError);
      const failures = world.errors.filter((error) => error instanceof CursorStoreError);
      assert.equal(failures.length, world.errors.length, `only cursor failures: ${world.errors.map(String).join('; ')}`);
      assert.ok(failures.every((error) => error.path === file && error.operation === 'write'));

      await rm(state);
      await mkdir(state);
      await store.flush();
      const saved = (await json(file)) as Record<string, string>;
      assert.equal(saved[`group:${world.group.id}`], ids[1]);
    } finally {
      await world.close();
    }
  });

  it('refuses JSON of the wrong shape, naming the file and what is wrong', async () => {
    const root = await fresh();
    const cases: Array<[content: unknown, why: RegExp]> = [
      [['group:1', '100'], /holds an array instead of an object of message ids/],
      [null, /holds null instead of an object/],
      [{ 'group:1': '100', 'group:2': 200 }, /its "group:2" is a number, not a message id string/],
    ];
    for (const [i, [content, why]] of cases.entries()) {
      const file = join(root, `cursors-${i}.json`);
      await writeFile(file, JSON.stringify(content));
      await assert.rejects(new FileCursorStore(file).get('group:1'), storeError(file, 'read', why, true));
    }
  });
});
