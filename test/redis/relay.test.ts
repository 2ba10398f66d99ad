import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createGroupMeServer, type GroupMeServer } from '../../src/testing/index.js';
import { buildWorld, dropWorld, killRelays, publish, RelayProcess, relayFlags, streamPairs, tally, untilStreamHolds, type World } from './relay-harness.js';
import { decodeStreamEntry } from '../../src/redis/index.js';
import { RedisServer, redisForSuite } from './redis-server.js';

describe('groupme-push relay', { timeout: 120_000 }, () => {
  let server: GroupMeServer;
  let world: World;
  const relays: RelayProcess[] = [];
  // Registered first, so it runs first: relays die before their Redis does.
  afterEach(() => killRelays(relays));
  // Each test has a Redis of its own, on a port of its own, so none can see another's keys.
  const suite = redisForSuite({ durable: true });

  const start = (...extra: string[]): RelayProcess => {
    const relay = new RelayProcess([...relayFlags(suite.server.url, world, server), ...extra]);
    relays.push(relay);
    return relay;
  };

  before(async () => {
    server = await createGroupMeServer();
    world = await buildWorld(server);
  });

  after(async () => {
    await server.close();
    await dropWorld(world);
  });

  it('two replicas of the same 20 accounts, one killed with SIGKILL mid-stream: every message lands exactly once', async () => {
    const a = start();
    const b = start();
    await Promise.all([a.ready(), b.ready()]);
    const expected = await publish(server, world, 120, 15, (i) => {
      if (i === 60) a.kill('SIGKILL');
    });
    const pairs = await untilStreamHolds(suite.redis, expected);
    assert.equal(a.child.signalCode, 'SIGKILL');
    assert.deepEqual(tally(expected, pairs), { doubled: [], missing: [] });
    assert.equal(pairs.length, expected.length);
  });

  it('Redis restarted mid-stream: once it is back, nothing is lost and nothing doubled', async () => {
    const relay = start('--status-seconds', '1');
    await relay.ready();
    const expected = await publish(server, world, 100, 15, async (i) => {
      if (i === 30) await suite.server.stop();
      if (i === 60) await suite.server.restart();
    });
    const pairs = await untilStreamHolds(suite.redis, expected);
    assert.deepEqual(tally(expected, pairs), { doubled: [], missing: [] });
    await relay.until(/redis is unavailable/);
    await relay.until(/redis is back/);
  });

  it('a lone relay killed and started again catches up from the cursors in Redis: nothing lost, nothing doubled', async () => {
    const first = start();
    await first.ready();
    let second: RelayProcess | undefined;
    const expected = await publish(server, world, 100, 15, async (i) => {
      if (i === 40) first.kill('SIGKILL');
      if (i === 70) {
        second = start();
        await second.ready();
      }
    });
    const pairs = await untilStreamHolds(suite.redis, expected);
    assert.deepEqual(tally(expected, pairs), { doubled: [], missing: [] });
    assert.ok(second);
  });

  it('--shard i/n splits the accounts between relays by user id, with none left out', async () => {
    const zero = start('--shard', '0/2');
    const one = start('--shard', '1/2');
    await Promise.all([zero.ready(), one.ready()]);
    const held = [zero, one].map((relay) => Number(/relaying (\d+) account/.exec(relay.stderr)![1]));
    assert.equal(held[0]! + held[1]!, world.accounts.length);
    assert.ok(held[0]! > 0 && held[1]! > 0, `split ${held.join('/')}`);
    const expected = await publish(server, world, 40, 5);
    const pairs = await untilStreamHolds(suite.redis, expected);
    assert.deepEqual(tally(expected, pairs), { doubled: [], missing: [] });
  });

  it('configured by the environment alone (one account from GROUPME_TOKEN, Redis and GroupMe by their URL variables), only the --type asked for, and a status line every --status-seconds', async () => {
    const account = world.accounts[0]!;
    const relay = new RelayProcess(['--type', 'direct_message.create', '--status-seconds', '1'], {
      GROUPME_TOKEN: account.token,
      GROUPME_REDIS_URL: suite.server.url,
      GROUPME_PUSH_URL: server.pushUrl,
      GROUPME_API_URL: server.apiUrl,
    });
    relays.push(relay);
    await relay.until(/relaying 1 account\b/);
    const group = world.groups.find((g) => g.members.includes(account.id))!;
    server.post(group.id, world.poster.id, 'a group message: not asked for');
    const dms = [0, 1, 2].map((i) => `${account.id}/${server.sendDirectMessage(world.poster.id, account.id, `dm ${i}`).id}`);
    server.sendDirectMessage(world.poster.id, world.accounts[1]!.id, 'another account: not relayed');
    const pairs = await untilStreamHolds(suite.redis, dms);
    await relay.until(/status: 1\/1 accounts connected; 3 written/);
    const types = ((await suite.redis.xrange('groupme:events', '-', '+')) as [string, string[]][]).map(([id, fields]) => decodeStreamEntry(fields, id).event.type);
    assert.deepEqual({ pairs, types }, { pairs: dms, types: ['direct_message.create', 'direct_message.create', 'direct_message.create'] });
    assert.ok(!relay.stderr.includes(account.token), 'the token never reaches stderr');
  });

  it('stops cleanly on SIGTERM, saying what it wrote', async () => {
    const relay = start();
    await relay.ready();
    const expected = await publish(server, world, 4, 5);
    await untilStreamHolds(suite.redis, expected);
    relay.kill('SIGTERM');
    assert.equal(await relay.exited, 0);
    assert.match(relay.stderr, /stopped: \d+ written, 0 duplicates refused, 0 dropped, 0 buffered/);
    assert.equal((await streamPairs(suite.redis)).length, expected.length);
  });
});

describe('groupme-push relay refuses bad inputs in one sentence, with a documented exit code', { timeout: 60_000 }, () => {
  let server: GroupMeServer;
  let world: World;
  let redisServer: RedisServer;
  const PASSWORD = 'right-horse-battery-staple';

  before(async () => {
    server = await createGroupMeServer();
    world = await buildWorld(server, 3);
  });

  beforeEach(async () => {
    redisServer = await RedisServer.start({ password: PASSWORD });
  });

  afterEach(async () => {
    await redisServer.close();
  });

  after(async () => {
    await server.close();
    await dropWorld(world);
  });

  const run = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> => {
    const relay = new RelayProcess(['--push-url', server.pushUrl, '--api-url', server.apiUrl, ...args], env);
    const code = await relay.exited;
    return { code, stderr: relay.stderr };
  };
  const oneSentence = (stderr: string): void => {
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, /^groupme-push: [A-Z-].*\.$/);
    for (const account of world.accounts) assert.ok(!stderr.includes(account.token), 'no token in the output');
    assert.ok(!stderr.includes(PASSWORD), 'no Redis password in the output');
  };
  const good = (): string => `redis://:${PASSWORD}@127.0.0.1:${redisServer.port}`;

  it('exit 2 without a Redis URL, or with one that is not a redis:// URL', async () => {
    for (const args of [['--token-file', world.tokenFile], ['--token-file', world.tokenFile, '--redis', 'not a url'], ['--token-file', world.tokenFile, '--redis', `http://127.0.0.1:${redisServer.port}`]]) {
      const { code, stderr } = await run(args);
      assert.equal(code, 2, stderr);
      oneSentence(stderr);
      assert.match(stderr, /--redis|GROUPME_REDIS_URL/);
    }
  });

  it('exit 2 for a malformed --shard', async () => {
    const { code, stderr } = await run(['--token-file', world.tokenFile, '--redis', good(), '--shard', '2/2']);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /expected i\/n with 0 <= i < n/);
  });

  it('exit 3 when Redis refuses the password, or nobody answers', async () => {
    const refused = await run(['--token-file', world.tokenFile], { GROUPME_REDIS_URL: `redis://:wrong-password@127.0.0.1:${redisServer.port}` });
    assert.equal(refused.code, 3, refused.stderr);
    oneSentence(refused.stderr);
    assert.match(refused.stderr, /Redis at redis:\/\/127\.0\.0\.1:\d+ refused the credentials/);
    assert.ok(!refused.stderr.includes('wrong-password'));
    const away = await RedisServer.start();
    const port = away.port;
    await away.close();
    const unreachable = await run(['--token-file', world.tokenFile, '--redis', `redis://127.0.0.1:${port}`]);
    assert.equal(unreachable.code, 3, unreachable.stderr);
    oneSentence(unreachable.stderr);
    assert.match(unreachable.stderr, /Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('exit 2 for a token GroupMe refuses, naming its line and never the token', async () => {
    const revoked = world.accounts[1]!;
    server.revokeToken(revoked.token);
    const { code, stderr } = await run(['--token-file', world.tokenFile, '--redis', good()]);
    assert.equal(code, 2, stderr);
    oneSentence(stderr);
    assert.match(stderr, /GroupMe refused the token on line 3 of .*tokens\.txt: check that it is current and copied whole\./);
    const missing = await run(['--redis', good()]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No access token/);
  });
});
