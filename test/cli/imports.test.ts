import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Files a module loads as soon as it is loaded: static imports and re-exports, not `import()`. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s*'(\.[^']+)'/gm),
    ...source.matchAll(/^\s*import\s+'(\.[^']+)'/gm),
  ].map((m) => m[1]!);
  return specifiers.map((specifier) => join(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

/** Every file `entry` loads at start-up, itself included. */
function loadedAtStart(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of staticImports(file)) visit(next);
  };
  visit(entry);
  return seen;
}

describe('the command line', () => {
  it('loads the look-alike server (and faye\'s server side) only for demo', () => {
    const main = join(root, 'src/cli/main.ts');
    const loaded = [...loadedAtStart(main)].map((file) => relative(root, file));
    assert.ok(loaded.includes('src/client/push-client.ts'), 'the walk follows imports');
    assert.deepEqual(loaded.filter((file) => file.startsWith('src/testing/')), []);
    // ...yet demo still reaches it, on demand.
    assert.match(readFileSync(main, 'utf8'), /await import\('\.\/demo-command\.js'\)/);
    assert.ok(loadedAtStart(join(root, 'src/cli/demo-command.ts')).has(join(root, 'src/testing/index.ts')));
  });
});
