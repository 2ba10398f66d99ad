import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { build } from 'esbuild';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

// The built package, reached by its own name through the `exports` map (Node resolves a
// package's self-reference from inside it), from CommonJS and from ESM.
const scenario = (load: string): string => `
  ${load}
  const server = await createGroupMeServer({ pingIntervalMs: 0 });
  const me = server.addUser({ name: 'Me' });
  const other = server.addUser({ name: 'Other' });
  const group = server.addGroup({ name: 'G', members: [me.id, other.id] });
  const client = new PushClient({ token: me.token, pushUrl: server.pushUrl, apiUrl: server.apiUrl });
  const got = new Promise((resolve) => client.on('line.create', (e) => resolve(e.message.text)));
  await client.start();
  server.post(group.id, other.id, 'from the build');
  console.log(await got);
  await client.stop();
  await server.close();
`;

interface LockEntry {
  readonly dev?: boolean;
  readonly [field: string]: unknown;
}

/**
 * A project that depends on the tarball, with a lockfile pinning the tarball's dependencies
 * to the entries of our own lockfile: `npm ci --offline` then installs them from the cache
 * that installing this repository filled, with no registry (the tests need no network).
 */
async function dependOnTarball(dir: string, tarball: string): Promise<void> {
  const own = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:${basename(tarball)}`;
  const packages: Record<string, unknown> = {
    '': { name: 'smoke', dependencies: { 'groupme-push': spec } },
    'node_modules/groupme-push': { version: own.version, resolved: spec, dependencies: own.dependencies },
  };
  // Entries npm did not mark `dev` are exactly what the runtime dependencies pull in.
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'smoke', private: true, dependencies: { 'groupme-push': spec } }));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'smoke', lockfileVersion: 3, requires: true, packages }));
}

describe('the built package', { timeout: 120_000 }, () => {
  before(async () => {
    await run('npm', ['run', 'build', '--silent'], { cwd: root });
  });

  it('works from require()', async () => {
    const source = `(async () => {${scenario(`
      const { PushClient } = require('groupme-push');
      const { createGroupMeServer } = require('groupme-push/testing');`)}})();`;
    const { stdout } = await run(process.execPath, ['-e', source], { cwd: root });
    assert.equal(stdout.trim(), 'from the build');
  });

  it('serves groupme-push/redis from the build, to require() and import', async () => {
    // ioredis is an optional peer: this repository has it installed, as a relay's would.
    const names = "['RedisCursorStore', 'RedisStreamSink', 'decodeStreamEntry'].map((name) => typeof redis[name]).join(' ')";
    const cjs = `const redis = require('groupme-push/redis'); console.log(${names});`;
    const esm = `const redis = await import('groupme-push/redis'); console.log(${names});`;
    for (const [flags, source] of [[['-e'], cjs], [['--input-type=module', '-e'], esm]] as const) {
      const { stdout } = await run(process.execPath, [...flags, source], { cwd: root });
      assert.equal(stdout.trim(), 'function function function', source);
    }
  });

  it('passes publint and arethetypeswrong (node10, node16 from CJS and ESM, bundler)', async () => {
    await run('npx', ['publint', '--strict'], { cwd: root });
    await run('npx', ['attw', '--pack', '.', '--quiet'], { cwd: root });
  });

  it('has API docs that build with no warnings (every export documented)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'groupme-push-docs-'));
    try {
      // typedoc.json treats warnings as errors, so a missing comment fails here.
      await run('npx', ['typedoc', '--out', out], { cwd: root });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('ships a working groupme-push bin', async () => {
    const { stdout } = await run(process.execPath, ['dist/cli/main.js', 'demo'], { cwd: root });
    assert.match(stdout, /21 events of 11 types/);
    const own = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const { stdout: version } = await run(process.execPath, ['dist/cli/main.js', '--version'], { cwd: root });
    assert.equal(version, `${own.version}\n`, 'the version the bundle inlined');
    // What the bin loads at start-up (itself and the chunks it imports statically) holds no
    // look-alike server: `listen` does not carry faye's server side, only `demo` loads it.
    const main = join(root, 'dist/cli/main.js');
    const startup = [main];
    for (const m of (await readFile(main, 'utf8')).matchAll(/^import [^;]*? from "(\.[^"]+)";/gm)) startup.push(join(root, 'dist/cli', m[1]!));
    assert.ok(startup.length > 1, 'the bin imports shared chunks');
    for (const file of startup) assert.ok(!(await readFile(file, 'utf8')).includes('NodeAdapter'), file);
  });

  it('installs from the packed tarball and runs from ESM and CJS', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'groupme-push-install-'));
    try {
      const { stdout: packed } = await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', scratch], { cwd: root });
      const tarball = join(scratch, packed.trim().split('\n').at(-1)!);
      await dependOnTarball(scratch, tarball);
      await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: scratch });
      const esm = scenario(`
        const { PushClient } = await import('groupme-push');
        const { createGroupMeServer } = await import('groupme-push/testing');`);
      await writeFile(join(scratch, 'smoke.mjs'), esm);
      await writeFile(join(scratch, 'smoke.cjs'), `(async () => {${scenario(`
        const { PushClient } = require('groupme-push');
        const { createGroupMeServer } = require('groupme-push/testing');`)}})();`);
      for (const file of ['smoke.mjs', 'smoke.cjs']) {
        const { stdout } = await run(process.execPath, [file], { cwd: scratch });
        assert.equal(stdout.trim(), 'from the build', file);
      }
      // A bundler targeting browsers picks the `browser` export, and nothing Node-only follows.
      await writeFile(join(scratch, 'page.mjs'), "import { PushClient } from 'groupme-push';\nexport const client = PushClient;\n");
      const bundled = await build({
        entryPoints: [join(scratch, 'page.mjs')],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
        absWorkingDir: scratch,
        metafile: true,
      });
      const inputs = Object.keys(bundled.metafile.inputs);
      assert.ok(inputs.includes('node_modules/groupme-push/dist/browser.js'), inputs.join('\n'));
      assert.deepEqual(inputs.filter((input) => /faye-websocket|tough-cookie|csprng|axios\/lib\/adapters\/http/.test(input)), []);
      // Only what users need: the build, the README, the licence and the subpath stubs.
      const { stdout: listing } = await run('tar', ['-tzf', tarball]);
      const top = new Set(listing.trim().split('\n').map((p) => p.replace(/^package\//, '').split('/')[0]));
      assert.deepEqual([...top].sort(), ['LICENSE', 'README.md', 'dist', 'package.json', 'redis', 'testing']);
      assert.deepEqual(listing.trim().split('\n').filter((p) => p.startsWith('package/redis/')), ['package/redis/package.json']);
      // testing/ holds only the stub that points node10 resolution at dist/testing.
      assert.deepEqual(listing.trim().split('\n').filter((p) => p.startsWith('package/testing/')), ['package/testing/package.json']);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('stays within its size budget (size-limit, minified and gzipped)', async () => {
    // .size-limit.json holds the budgets: the browser bundle, and the library's own code.
    await run('npx', ['size-limit'], { cwd: root });
  });

  it('works from import', async () => {
    const source = scenario(`
      const { PushClient } = await import('groupme-push');
      const { createGroupMeServer } = await import('groupme-push/testing');`);
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', source], { cwd: root });
    assert.equal(stdout.trim(), 'from the build');
  });
});
