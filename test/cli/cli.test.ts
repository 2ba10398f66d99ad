import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'cli-test-token-7f3a9c';

/** A running `groupme-push` child: its output so far, and ways to wait on it. */
class Cli {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: (() => void)[] = [];

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.#got(() => (this.stdout += chunk)));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.#got(() => (this.stderr += chunk)));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Resolves once `condition` holds on the output; rejects if the child exits first. */
  async until(condition: () => boolean, what: string): Promise<void> {
    while (!condition()) {
      const more = new Promise<void>((resolve) => this.#waiters.push(resolve));
      const ended = this.exited.then(() => 'exited' as const);
      if ((await Promise.race([more, ended])) === 'exited' && !condition()) {
        throw new Error(`the CLI exited before ${what}; stderr: ${this.stderr}`);
      }
    }
  }

  /** Waits for the state line that says the client is connected. */
  connected(): Promise<void> {
    return this.until(() => /connected as user/.test(this.stderr), 'connecting');
  }

  stdoutLines(): string[] {
    return this.stdout.split('\n').filter((line) => line !== '');
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  #got(append: () => void): void {
    append();
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('GROUPME_') || key === 'NO_COLOR' || key === 'FORCE_COLOR') delete env[key];
  return { ...env, ...extra };
}

/** Runs the CLI to its end. */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = new Cli(args, env);
  try {
    const code = await cli.exited;
    return { code, stdout: cli.stdout, stderr: cli.stderr };
  } finally {
    cli.kill();
  }
}

describe('groupme-push command', { timeout: 60_000 }, () => {
  let server: GroupMeServer;
  let me: SimUser;
  let ada: SimUser;
  let group: SimGroup;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let urls: string[];

  before(async () => {
    server = await createGroupMeServer({ pingIntervalMs: 200 }); // pings opted in: the tests filter them
    me = server.addUser({ name: 'Me Myself', token: TOKEN });
    ada = server.addUser({ name: 'Ada' });
    group = server.addGroup({ name: 'Climbing', members: [me.id, ada.id] });
    tmp = await mkdtemp(join(tmpdir(), 'groupme-cli-'));
    env = cliEnv({ GROUPME_TOKEN: TOKEN, GROUPME_PUSH_URL: server.pushUrl, GROUPME_API_URL: server.apiUrl });
    urls = ['--push-url', server.pushUrl, '--api-url', server.apiUrl];
  });

  after(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('says in --help that listen reads one token from --token-file and relay one per line', async () => {
    const listen = await run(['listen', '--help'], cliEnv());
    const relayHelp = await run(['relay', '--help'], cliEnv());
    assert.equal(listen.code, 0);
    assert.equal(relayHelp.code, 0);
    assert.match(listen.stdout, /--token-file <path>\s+read the access token from this file/);
    assert.match(relayHelp.stdout.replace(/\s+/g, ' '), /--token-file <path> read the access tokens from this file, one per line/);
  });

  it('listen --json prints each published event as one JSON line, and exits 0 on SIGINT', async () => {
    const cli = new Cli(['listen', '--json', '--all'], env);
    try {
      await cli.connected();
      const posted = server.post(group.id, ada.id, 'Who is in for Saturday?');
      const dm = server.sendDirectMessage(ada.id, me.id, 'Bring the rope?');
      const mine = server.post(group.id, me.id, 'Me!');
      server.react(ada.id, mine.id, '👍');
      // line.create ×2, direct_message.create, then favorite (group channel) and like.create (/user).
      await cli.until(() => cli.stdoutLines().length >= 5, 'five events');
      const events = cli.stdoutLines().map((line) => JSON.parse(line) as Record<string, any>);

      const lines = events.filter((e) => e.type === 'line.create');
      assert.deepEqual(lines.map((e) => [e.message.id, e.message.text, e.message.groupId]), [
        [posted.id, 'Who is in for Saturday?', group.id],
        [mine.id, 'Me!', group.id],
      ]);
      const dms = events.filter((e) => e.type === 'direct_message.create');
      assert.deepEqual(dms.map((e) => [e.message.id, e.message.text, e.message.name]), [[dm.id, 'Bring the rope?', 'Ada']]);
      const reactions = events.filter((e) => e.type === 'favorite' || e.type === 'like.create');
      assert.deepEqual(reactions.map((e) => e.type).sort(), ['favorite', 'like.create']);
      for (const e of reactions) assert.equal(e.message.id, mine.id);
      for (const e of events) {
        assert.equal('raw' in e, false, 'raw is left out without --raw');
        assert.ok(e.type !== 'ping', 'pings are left out unless asked for');
        // Every payload here carries received_at: the date must come through as ISO 8601.
        assert.match(String(e.receivedAt), /^\d{4}-\d\d-\d\dT[\d:.]+Z$/, `${e.type} receivedAt`);
      }

      cli.child.kill('SIGINT');
      assert.equal(await cli.exited, 0);
      // stdout holds events only; the state lines went to stderr.
      for (const line of cli.stdoutLines()) assert.doesNotThrow(() => JSON.parse(line));
      assert.match(cli.stderr, /connected as user/);
      assert.match(cli.stderr, /stopped/);
      assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!cli.stdout.includes(TOKEN) && !cli.stderr.includes(TOKEN));
    } finally {
      cli.kill();
    }
  });

  it('listen --type keeps only the named types; --raw keeps the payload', async () => {
    const cli = new Cli(['listen', '--json', '--raw', '--type', 'direct_message.create,ping', ...urls], cliEnv({ GROUPME_TOKEN: TOKEN }));
    try {
      await cli.connected();
      server.post(group.id, ada.id, 'not wanted');
      const dm = server.sendDirectMessage(ada.id, me.id, 'wanted');
      // The /user channel is ordered: the group message, had it passed, would come first.
      await cli.until(() => cli.stdoutLines().some((l) => l.includes(dm.id)), 'the DM');
      const events = cli.stdoutLines().map((line) => JSON.parse(line) as Record<string, any>);
      assert.ok(events.every((e) => e.type === 'direct_message.create' || e.type === 'ping'), cli.stdout);
      const got = events.find((e) => e.type === 'direct_message.create')!;
      assert.equal(got.message.text, 'wanted');
      assert.equal(got.raw.subject.id, dm.id);
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0);
    } finally {
      cli.kill();
    }
  });

  it('listen reads --token-file (trimmed) and prints readable lines without colour on a pipe', async () => {
    const file = join(tmp, 'token');
    await writeFile(file, `  ${TOKEN}\n`);
    const cli = new Cli(['listen', '--token-file', file], cliEnv({ GROUPME_PUSH_URL: server.pushUrl, GROUPME_API_URL: server.apiUrl }));
    try {
      await cli.connected();
      server.post(group.id, ada.id, 'readable please');
      await cli.until(() => cli.stdout.includes('Ada: readable please'), 'the readable line');
      assert.doesNotMatch(cli.stdout, /\u001b\[/, 'no ANSI colour when stdout is not a TTY');
      assert.match(cli.stdoutLines()[0]!, /^\d\d:\d\d:\d\d  \S+.*Ada: readable please$/);
      cli.child.kill('SIGINT');
      assert.equal(await cli.exited, 0);
    } finally {
      cli.kill();
    }
  });

  it('listen with a bad token exits 2 with one sentence and never shows the token', async () => {
    const bad = 'not-a-real-token-93ac1';
    const { code, stdout, stderr } = await run(['listen', '--json'], { ...env, GROUPME_TOKEN: bad });
    assert.equal(code, 2);
    assert.equal(stdout, '');
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, /rejected the access token/);
    assert.ok(!stderr.includes(bad));
  });

  it('refuses a missing token and a token passed as an argument, exit 2', async () => {
    const [missing, bare] = await Promise.all([
      run(['listen'], cliEnv()),
      run(['listen', '--token=super-secret-value'], cliEnv()),
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /GROUPME_TOKEN/);
    assert.equal(bare.code, 2);
    assert.ok(!bare.stderr.includes('super-secret-value') && !bare.stdout.includes('super-secret-value'), bare.stderr);
  });

  it('whoami prints the name and id; a bad token exits 2', async () => {
    const file = join(tmp, 'token2');
    await writeFile(file, `${TOKEN}\n`);
    const [ok, bad] = await Promise.all([
      run(['whoami', '--token-file', file, '--api-url', server.apiUrl], cliEnv()),
      run(['whoami'], { ...env, GROUPME_TOKEN: 'wrong-token-4417' }),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, `Me Myself (${me.id})\n`);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.ok(!bad.stderr.includes('wrong-token-4417'));
  });

  it('doctor passes every step against the server', async () => {
    const { code, stdout, stderr } = await run(['doctor', '--wait-seconds', '10'], env);
    assert.equal(code, 0, stdout + stderr);
    const lines = stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), ['ok', 'ok', 'ok', 'ok', 'ok', 'All']);
    assert.match(stdout, /token valid: Me Myself/);
    assert.match(stdout, new RegExp(`subscribe /user/${me.id}`));
    assert.match(stdout, /push server answers on the open connection within 10 s: round trip \d+ ms/);
  });

  it('doctor stops at the token step with a bad token, exit 2 as for every command', async () => {
    const { code, stdout, stderr } = await run(['doctor'], { ...env, GROUPME_TOKEN: 'doctor-bad-token-55' });
    assert.equal(code, 2);
    const lines = stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), ['ok', 'ok', 'FAIL']);
    assert.match(lines[2]!, /token valid: .*rejected the access token/);
    assert.match(stderr, /token valid/);
    assert.ok(!(stdout + stderr).includes('doctor-bad-token-55'));
  });

  it('doctor exits 2 without a token, and 1 when a check other than the token fails', async () => {
    const missing = await run(['doctor'], cliEnv({ GROUPME_API_URL: server.apiUrl }));
    assert.equal(missing.code, 2);
    assert.deepEqual(missing.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]), ['FAIL']);
    const unreachable = await run(['doctor', '--api-url', 'http://127.0.0.1:1/v3'], cliEnv({ GROUPME_TOKEN: TOKEN }));
    assert.equal(unreachable.code, 1);
    assert.deepEqual(unreachable.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]), ['ok', 'FAIL']);
  });

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await run(['--version'], cliEnv());
    assert.equal(code, 0);
    assert.equal(stdout, `${version}\n`);
  });

  it('demo plays every event type and exits 0', async () => {
    const { code, stdout } = await run(['demo'], cliEnv());
    assert.equal(code, 0);
    const summary = stdout.trim().split('\n').at(-1) ?? '';
    for (const type of [
      'line.create', 'direct_message.create', 'like.create', 'favorite', 'message.deleted', 'message.update',
      'membership.create', 'typing', 'read_receipt.create', 'ping', 'unknown',
    ]) {
      assert.ok(summary.split(/[ ,:]+/).includes(type), `${type} in: ${summary}`);
    }
  });
});
