/**
 * Row 4: what a browser downloads, bundled with esbuild (ESM, es2022, browser, minified) and
 * gzipped (level 9): each browser-facing entry whole, the code a browser sign-in needs, and the
 * peers whole. kB are 1000 bytes.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { check } from './harness.js';
import type { Row } from './table.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The code of a browser sign-in against a remote server: machine, facade, card, messages. */
export const SIGN_IN_CLIENT = [
  "export { MemoryStore, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';",
  "export { createSignInMachine, Secret, viewSignIn } from 'smartcard-2fa/session';",
  "export { createActor } from 'xstate';",
].join('\n');

interface Measured {
  readonly gzipped: number;
  readonly inputs: readonly string[];
}

async function measure(source: string): Promise<Measured> {
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
  check(output !== undefined, 'esbuild wrote a bundle');
  return {
    gzipped: gzipSync(output.contents, { level: 9 }).byteLength / 1000,
    inputs: Object.keys(result.metafile.inputs),
  };
}

export async function bundleRows(): Promise<Row[]> {
  const pkijs = await measure("export * from 'pkijs';");
  const peculiar = await measure("export * from '@peculiar/x509';");
  const client = await measure(SIGN_IN_CLIENT);
  check(!client.inputs.some((file) => file.includes('node_modules/pkijs/')), 'no pkijs in sign-in');
  const rows: Row[] = [];
  for (const entry of ['', '/pin', '/card', '/enrollment', '/session']) {
    const measured = await measure(`export * from 'smartcard-2fa${entry}';`);
    rows.push({
      group: '4',
      name: `entry \`smartcard-2fa${entry}\` whole ÷ pkijs whole`,
      ours: measured.gzipped,
      reference: pkijs.gzipped,
      unit: 'kB',
    });
  }
  rows.push(
    {
      group: '4',
      name: 'browser sign-in (machine, facade, card, messages) ÷ pkijs whole',
      ours: client.gzipped,
      reference: pkijs.gzipped,
      unit: 'kB',
      target: { below: 30 },
    },
    {
      group: '4',
      name: 'browser sign-in ÷ @peculiar/x509 whole',
      ours: client.gzipped,
      reference: peculiar.gzipped,
      unit: 'kB',
      target: { below: 30 },
    },
  );
  return rows;
}
