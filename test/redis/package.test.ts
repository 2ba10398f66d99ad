import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every import an entry's bundle makes, by kind, with packages left outside. */
async function importsOf(entry: string): Promise<{ path: string; kind: string }[]> {
  const result = await build({ entryPoints: [entry], absWorkingDir: root, bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, metafile: true, logLevel: 'silent' });
  const inputs = (result.metafile as Metafile).inputs;
  return Object.values(inputs).flatMap((input) => input.imports.map(({ path, kind }) => ({ path, kind })));
}

describe('ioredis stays optional', () => {
  it('the main entry imports nothing of ioredis or of groupme-push/redis', async () => {
    const imports = await importsOf('src/index.ts');
    assert.ok(imports.length > 0);
    assert.deepEqual(imports.filter(({ path }) => /ioredis|src\/redis\//.test(path)), []);
  });

  it('groupme-push/redis itself loads without ioredis: it only takes the client you pass', async () => {
    assert.deepEqual((await importsOf('src/redis/index.ts')).filter(({ path }) => /ioredis/.test(path)), []);
  });

  it('the CLI loads ioredis only when the relay runs, by a dynamic import', async () => {
    const kinds = (await importsOf('src/cli/main.ts')).filter(({ path }) => path === 'ioredis').map(({ kind }) => kind);
    assert.deepEqual([...new Set(kinds)], ['dynamic-import']);
  });
});
