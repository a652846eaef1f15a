import { defineConfig } from 'tsup';

/**
 * One entry per public subpath of the package (`exports` in package.json).
 * Keep the two lists in step: `npm run check:package` fails when they drift.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'pin/index': 'src/pin/index.ts',
    'card/index': 'src/card/index.ts',
    'enrollment/index': 'src/enrollment/index.ts',
    'session/index': 'src/session/index.ts',
    'server/index': 'src/server/index.ts',
    'testing/index': 'src/testing/index.ts',
    'node/index': 'src/node/index.ts',
    'pkcs11/index': 'src/pkcs11/index.ts',
    'pcsc/index': 'src/pcsc/index.ts',
  },
  // Keep `node:` specifiers as written (only the Node-only entries have any); pkcs11js and smartcard are
  // optional peer dependencies, loaded at run time by smartcard-2fa/pkcs11 and smartcard-2fa/pcsc.
  removeNodeProtocol: false,
  external: [/^node:/, 'pkcs11js', 'smartcard'],
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  splitting: true,
  // esbuild drops unused ESM code itself; tsup's extra rollup pass (treeshake: true) appended a
  // second sourceMappingURL line to every file.
  treeshake: false,
  sourcemap: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
});
