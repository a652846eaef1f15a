/**
 * Measuring a browser bundle of the SDK: esbuild (ESM, es2022, browser, minified) from an entry
 * module that imports `smartcard-2fa/*` (resolved to `src/` through tsconfig.json's `paths`), and
 * gzip level 9. kB are 1000 bytes. Rows 4 of the bench and tests/package use it.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));

/** A bundle's size and the files that went into it (relative to the repository). */
export interface MeasuredBundle {
  /** Minified bytes, in kB. */
  readonly minified: number;
  /** Those bytes gzipped at level 9, in kB. */
  readonly gzipped: number;
  /** The files that put code into the bundle (tree-shaken ones left out). */
  readonly inputs: readonly string[];
}

/**
 * Bundles `source` (an ES module importing `smartcard-2fa/*`, resolved to `src/` through
 * tsconfig.json's `paths`) for the browser, minified, and measures it.
 */
export async function measureBundle(source: string): Promise<MeasuredBundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    tsconfig: `${root}tsconfig.json`,
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const output = result.outputFiles[0];
  const contributed = Object.values(result.metafile.outputs)[0]?.inputs;
  if (output === undefined || contributed === undefined) throw new Error('esbuild wrote no bundle');
  return {
    minified: output.contents.byteLength / 1000,
    gzipped: gzipSync(output.contents, { level: 9 }).byteLength / 1000,
    inputs: Object.entries(contributed)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  };
}

/** The npm packages a bundle took code from (`pkijs`, `@peculiar/webcrypto`, …). */
export function packagesIn(bundle: MeasuredBundle): Set<string> {
  const names = bundle.inputs
    .filter((file) => file.includes('node_modules/'))
    .map((file) => {
      const [scope, name] = (file.split('node_modules/').at(-1) ?? '').split('/');
      return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? '');
    });
  return new Set(names);
}
