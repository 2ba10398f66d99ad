import { defineConfig } from 'tsup';

// faye and axios stay dependencies, resolved by the user's package manager.
const shared = { sourcemap: true, target: 'node20', external: ['faye', 'axios', 'commander'] } as const;

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  },
  {
    // The bin is run, never imported: one ESM file, no types.
    ...shared,
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
  },
]);
