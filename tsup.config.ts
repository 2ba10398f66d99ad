import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

// faye and axios stay dependencies, resolved by the user's package manager; ioredis is an
// optional peer, loaded only by `groupme-push/redis` and the relay command.
const shared = { sourcemap: true, target: 'node20', external: ['faye', 'axios', 'commander', 'ioredis'] } as const;

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * The browser build differs from the Node one by whole files: an import of `./x.js` whose
 * source has a `x.browser.ts` sibling gets that sibling instead (the file cursor store, the
 * page-listener cleanup). Nothing else forks, so both builds run the same code.
 */
const browserVariants: EsbuildPlugin = {
  name: 'browser-variants',
  setup(build) {
    build.onResolve({ filter: /^\.{1,2}\/.*\.js$/ }, (args) => {
      const variant = resolve(args.resolveDir, args.path.replace(/\.js$/, '.browser.ts'));
      return existsSync(variant) ? { path: variant } : undefined;
    });
  },
};

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  },
  {
    // Built on its own: sharing chunks with the main entry would change dist/index.js for
    // every user, who never loads this one.
    ...shared,
    entry: { 'redis/index': 'src/redis/index.ts' },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  },
  {
    // For bundlers (the `browser` export condition): ESM, unminified (the app's bundler
    // minifies), axios left to resolve to its own browser build. faye's browser sources
    // expect webpack 4's `global` polyfill, which today's bundlers dropped, so faye is
    // bundled in here with `global` read as `globalThis`: an app needs no bundler setting.
    // Types are the Node build's: the API is the same. No source map: the file is
    // readable as it is, and faye inlined would triple the map.
    ...shared,
    sourcemap: false,
    entry: { browser: 'src/index.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    external: ['axios'],
    noExternal: ['faye'],
    define: { global: 'globalThis' },
    esbuildPlugins: [browserVariants],
  },
  {
    // The bin is run, never imported: one ESM file, no types.
    ...shared,
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
  },
]);
