import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ApiError,
  AuthenticationError,
  ClientStateError,
  ClientStoppedError,
  GroupMePushError,
  HandshakeError,
  ListenerError,
  LivenessError,
  NetworkError,
  RateLimitError,
  SessionLostError,
  SubscriptionError,
  TimeoutError,
  UnsupportedPlatformError,
} from '../../src/index.js';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The members of the `ErrorCode` union, read from its source. */
const codes = [...read('src/errors/error-code.ts').matchAll(/^\s+\| '([A-Z_]+)';?$/gm)].map((m) => m[1]!);

describe('error codes', () => {
  it('every error class carries a member of ErrorCode', () => {
    assert.ok(codes.length >= 15, codes.join());
    const errors: GroupMePushError[] = [
      new AuthenticationError(),
      new ApiError(500, 'GET', '/groups', []),
      new RateLimitError(429, 'GET', '/groups', [], null),
      new NetworkError('GET', '/groups', 'ECONNREFUSED'),
      new SubscriptionError('/group/1', 403, 'Forbidden'),
      new SessionLostError('reaped'),
      new HandshakeError(null),
      new TimeoutError('a ping', 1),
      new LivenessError('silent'),
      new ClientStoppedError('start()'),
      new ClientStateError('not started'),
      new ListenerError('event', new Error('boom')),
      new UnsupportedPlatformError('no file system'),
    ];
    for (const error of errors) assert.ok(codes.includes(error.code), `${error.name}: ${error.code}`);
  });

  it('the codes the client wraps errors in are members too', () => {
    const client = readdirSync(new URL('../../src/client/', import.meta.url)).map((file) => read(`src/client/${file}`));
    const wrapped = client.flatMap((source) => [...source.matchAll(/(?:asPushError\([^,]+|new GroupMePushError\()\s*'([A-Z_]+)'/g)].map((m) => m[1]!));
    assert.ok(wrapped.length > 0);
    for (const code of wrapped) assert.ok(codes.includes(code), code);
  });

  it('each code is documented, in ErrorCode and in the README', () => {
    const doc = read('src/errors/error-code.ts');
    const readme = read('README.md');
    const errors = readme.slice(readme.indexOf('## Errors'), readme.indexOf('## REST helpers'));
    for (const code of codes) {
      assert.match(doc, new RegExp(`^ \\* - \`${code}\`: `, 'm'), `${code} in error-code.ts`);
      assert.ok(errors.includes(`| \`${code}\``), `${code} in the README's Errors table`);
    }
  });
});
