import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CliError } from '../../src/cli/cli-error.js';
import { endpointProblem, tokenProblem } from '../../src/util/validate.js';
import { endpoints } from '../../src/cli/connection.js';
import { eventFilter, parseTypes } from '../../src/cli/event-types.js';
import { Diagnostics, eventJson, useColor } from '../../src/cli/output.js';
import { readRelayTokens } from '../../src/cli/relay-tokens.js';
import { readToken } from '../../src/cli/token.js';
import { parsePushMessage } from '../../src/events/parse.js';

describe('cli helpers', () => {
  it('colours only a TTY, and never with NO_COLOR set', () => {
    assert.equal(useColor({ write: () => true, isTTY: true }, {}), true);
    assert.equal(useColor({ write: () => true, isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(useColor({ write: () => true, isTTY: true }, { NO_COLOR: '' }), true);
    assert.equal(useColor({ write: () => true }, {}), false);
  });

  it('serialises an event without raw unless asked, dates as ISO strings', () => {
    const event = parsePushMessage({ id: '5', kind: 'user', path: '/user/5' } as never, { type: 'ping' });
    const plain = JSON.parse(eventJson(event, false));
    assert.equal('raw' in plain, false);
    assert.equal(plain.type, 'ping');
    assert.deepEqual(JSON.parse(eventJson(event, true)).raw, { type: 'ping' });
  });

  it('parses --type lists, rejects typos, hides pings by default', () => {
    assert.deepEqual(parseTypes('line.create, favorite', ['typing']), ['typing', 'line.create', 'favorite']);
    assert.throws(() => parseTypes('line.creat'), /Unknown event type "line.creat"/);
    const byDefault = eventFilter(undefined);
    assert.equal(byDefault({ type: 'ping' } as never), false);
    assert.equal(byDefault({ type: 'typing' } as never), true);
    assert.equal(eventFilter(['ping'])({ type: 'ping' } as never), true);
  });

  it('reads the token from a file (trimmed) before the environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'groupme-token-'));
    try {
      await writeFile(join(dir, 't'), '\n  abc123  \n');
      assert.deepEqual(await readToken({ tokenFile: join(dir, 't'), env: { GROUPME_TOKEN: 'env' } }), { token: 'abc123', from: `--token-file ${join(dir, 't')}` });
      assert.equal((await readToken({ env: { GROUPME_TOKEN: ' env\n' } })).token, 'env');
      await assert.rejects(readToken({ env: {} }), (e: unknown) => e instanceof CliError && e.exitCode === 2);
      await assert.rejects(readToken({ tokenFile: join(dir, 'missing'), env: {} }), /ENOENT/);
      await writeFile(join(dir, 'empty'), ' \n');
      await assert.rejects(readToken({ tokenFile: join(dir, 'empty'), env: {} }), /empty/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a token that no header can carry, without repeating it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'groupme-token-'));
    try {
      await writeFile(join(dir, 'two-lines'), 'abc123\nsecond-line-secret\n');
      await assert.rejects(readToken({ tokenFile: join(dir, 'two-lines'), env: {} }), (e: unknown) => {
        assert.ok(e instanceof CliError && e.exitCode === 2);
        assert.match(e.message, /line break/);
        assert.ok(!e.message.includes('second-line-secret'));
        return true;
      });
      await assert.rejects(readToken({ env: { GROUPME_TOKEN: 'abc 123' } }), /GROUPME_TOKEN holds a space/);
      // The relay's token file, one token a line, goes through the same check.
      await writeFile(join(dir, 'tokens'), '# accounts\ngood-token-1\nbad token-secret\n');
      await assert.rejects(readRelayTokens(join(dir, 'tokens'), {}), (e: unknown) => {
        assert.ok(e instanceof CliError && e.exitCode === 2, String(e));
        assert.match(e.message, /^Line 3 of the token file .* holds a space/);
        assert.ok(!e.message.includes('token-secret'));
        return true;
      });
      await assert.rejects(readRelayTokens(undefined, { GROUPME_TOKEN: 'abc 123' }), /GROUPME_TOKEN holds a space/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shares its token and URL checks with the library', () => {
    assert.equal(tokenProblem('0123456789abcdef'), null);
    assert.equal(tokenProblem('  padded  '), null, 'surrounding whitespace is for the caller to trim');
    for (const bad of ['', '   ', undefined, 42, 'a\nb', 'a\tb', 'a\u0000b']) assert.notEqual(tokenProblem(bad), null, JSON.stringify(bad));
    assert.equal(endpointProblem('wss://push.groupme.com/faye', 'push'), null);
    assert.equal(endpointProblem('https://api.groupme.com/v3', 'api'), null);
    assert.match(String(endpointProblem('push.groupme.com/faye', 'push')), /absolute/);
    assert.notEqual(endpointProblem('ws://127.0.0.1/v3', 'api'), null);
    assert.notEqual(endpointProblem('ftp://127.0.0.1/faye', 'push'), null);
    assert.throws(() => endpoints({ pushUrl: 'ftp://127.0.0.1/faye' }, {}), (e: unknown) => e instanceof CliError && /--push-url must be/.test(e.message));
    assert.throws(() => endpoints({}, { GROUPME_API_URL: 'ws://127.0.0.1/v3' }), (e: unknown) => e instanceof CliError && /--api-url must be/.test(e.message));
  });

  it('takes URLs from flags over the environment, and refuses malformed ones', () => {
    assert.deepEqual(endpoints({ apiUrl: 'http://a/v3' }, { GROUPME_API_URL: 'http://b/v3', GROUPME_PUSH_URL: 'http://p/faye' }), {
      apiUrl: 'http://a/v3',
      pushUrl: 'http://p/faye',
    });
    assert.deepEqual(endpoints({}, {}), {});
    assert.throws(() => endpoints({ pushUrl: 'nope' }, {}), (e: unknown) => e instanceof CliError && e.exitCode === 2);
  });

  it('scrubs the token from diagnostics', () => {
    let written = '';
    const diag = new Diagnostics({ write: (s: string) => (written += s) });
    diag.hide('sekrit-token');
    diag.line('oops sekrit-token leaked');
    assert.equal(written, 'groupme-push: oops [token] leaked\n');
  });
});
