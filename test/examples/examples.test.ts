import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Message } from '../../src/index.js';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { startEchoBot } from '../../examples/echo-bot.js';
import { startForwarder } from '../../examples/forwarder.js';
import { startLogger } from '../../examples/logger.js';
import { nextEvent, until } from '../support/wait.js';

/** `until` for an async condition, with the same backstop. */
async function eventually(condition: () => Promise<boolean>, backstopMs = 60_000): Promise<void> {
  const giveUpAt = Date.now() + backstopMs;
  while (!(await condition())) {
    if (Date.now() > giveUpAt) throw new Error(`a condition still did not hold after ${backstopMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The log so far: none yet is empty; any other failure is the test's, at once. */
async function readLog(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

describe('examples', { timeout: 20_000 }, () => {
  let server: GroupMeServer;
  let bot: SimUser;
  let alice: SimUser;
  let group: SimGroup;
  const urls = (): { pushUrl: string; apiUrl: string } => ({ pushUrl: server.pushUrl, apiUrl: server.apiUrl });

  before(async () => {
    server = await createGroupMeServer({ pingIntervalMs: 200 });
    bot = server.addUser({ name: 'Bot' });
    alice = server.addUser({ name: 'Alice' });
    group = server.addGroup({ name: 'G', members: [bot.id, alice.id] });
  });
  after(() => server.close());

  it('echo bot answers "!echo" in the group and likes the request', async () => {
    const echo = await startEchoBot({ token: bot.token, ...urls() });
    try {
      const asked = server.post(group.id, alice.id, '!echo hello there');
      await until(() => (server.message(asked.id).favorited_by as string[]).includes(bot.id));
      const res = await echo.api.groupMessages(group.id, { limit: 5 });
      assert.ok(res.some((m) => m.userId === bot.id && m.text === 'hello there'));
      assert.ok(!res.some((m) => m.userId === bot.id && m.text === '!echo hello there'));
    } finally {
      await echo.stop();
    }
  });

  it('logger appends messages as JSON Lines and resumes from its cursors after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'groupme-logger-'));
    const file = join(dir, 'log.jsonl');
    try {
      const first = await startLogger(file, { token: alice.token, ...urls() });
      await nextEvent(first.client, 'catch-up');
      const live = [server.post(group.id, bot.id, 'one').id, server.sendDirectMessage(bot.id, alice.id, 'two').id];
      const lines = async (): Promise<Array<{ id: string; origin: string }>> =>
        (await readLog(file)).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; origin: string });
      await eventually(async () => (await lines()).length >= 2);
      await first.stop();

      const missed = [server.post(group.id, bot.id, 'three').id, server.sendDirectMessage(bot.id, alice.id, 'four').id];
      const second = await startLogger(file, { token: alice.token, ...urls() });
      await eventually(async () => (await lines()).length >= 4);
      await second.stop();
      const logged = await lines();
      assert.deepEqual(logged.map((l) => l.id), [...live, ...missed]);
      assert.deepEqual(logged.map((l) => l.origin), ['push', 'push', 'catch-up', 'catch-up']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('forwarder hands every new message to the sink', async () => {
    const forwarded: Message[] = [];
    const forwarder = await startForwarder(async (m) => void forwarded.push(m), { token: alice.token, ...urls() });
    try {
      const ids = [server.post(group.id, bot.id, 'fwd 1').id, server.sendDirectMessage(bot.id, alice.id, 'fwd 2').id];
      await until(() => ids.every((id) => forwarded.some((m) => m.id === id)));
      assert.deepEqual(forwarded.filter((m) => ids.includes(m.id)).map((m) => m.text), ['fwd 1', 'fwd 2']);
    } finally {
      await forwarder.stop();
    }
  });
});
