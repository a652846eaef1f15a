import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The browser-facing entries must bundle for the browser without pulling `node:` modules or
 * Node-only dependencies (DESIGN.md: "The browser-facing entries must not pull node: modules").
 */
const browserEntries = ['src/index.ts', 'src/pin/index.ts', 'src/card/index.ts'];

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
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => path.includes('node_modules'))).toEqual([]);
    const code = result.outputFiles.map((file) => file.text).join('\n');
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:|import\(["']node:/);
  });
});
