import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The browser-facing entries must bundle for the browser without pulling `node:` modules or
 * Node-only dependencies (DESIGN.md: "The browser-facing entries must not pull node: modules").
 */
const browserEntries = [
  'src/index.ts',
  'src/pin/index.ts',
  'src/card/index.ts',
  'src/enrollment/index.ts',
  'src/session/index.ts',
  'src/server/index.ts',
  'src/testing/index.ts',
];

describe('browser bundle', () => {
  it.each(browserEntries)('%s bundles for the browser with no node: import', async (entry) => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    // Only the runtime dependencies DESIGN.md names may be bundled, never a Node-only one.
    const inputs = Object.keys(result.metafile.inputs).filter((p) => p.includes('node_modules'));
    const packages = new Set(inputs.map((p) => p.split('node_modules/')[1]?.split('/')[0]));
    for (const name of packages)
      expect([
        'pkijs',
        'asn1js',
        '@peculiar',
        '@noble',
        'bytestreamjs',
        'pvtsutils',
        'pvutils',
        'tslib',
        'xstate',
      ]).toContain(name);
    const code = result.outputFiles.map((file) => file.text).join('\n');
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:|import\(["']node:/);
  });
});
