/**
 * Row 4 (enrollment): what a browser enrollment page downloads: the request builder, the
 * enrollment station (`enrollCard`, which shows the holder `describeCertificate`'s summary) and
 * a card (physical or virtual), bundled with esbuild (ESM, es2022, browser, minified) and
 * gzipped (level 9), beside pkijs whole. kB are 1000 bytes.
 * tests/package/enrollment-client-bundle.test.ts bundles the same entries and holds them under
 * {@link ENROLLMENT_CLIENT_LIMIT_KB} with no pkijs or asn1js in them.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Row } from './table.js';

const root = fileURLToPath(new URL('../', import.meta.url));

const ENROLLMENT =
  "export { EnrollmentBuilder, describeCertificate, enrollCard } from 'smartcard-2fa/enrollment';";

/**
 * A browser enrollment page's imports, as an app takes them from the package's entries: the
 * request builder, the enrollment station and the summary it shows, and one kind of card.
 */
export const ENROLLMENT_CLIENTS = {
  /** With a physical card in a (simulated) reader. */
  physical: `${ENROLLMENT}\nexport { MemoryStore, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';`,
  /** With a TPM-bound virtual card. */
  virtual: `${ENROLLMENT}\nexport { MemoryStore, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';`,
} as const;

/** The most the enrollment client may weigh, gzipped, in kB. */
export const ENROLLMENT_CLIENT_LIMIT_KB = 25;

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

/**
 * The enrollment clients' rows: each one's gzipped size against pkijs whole, under
 * {@link ENROLLMENT_CLIENT_LIMIT_KB}.
 */
export async function enrollmentBundleRows(): Promise<Row[]> {
  const pkijs = await measureBundle("export * from 'pkijs';");
  const rows: Row[] = [];
  for (const [card, source] of Object.entries(ENROLLMENT_CLIENTS)) {
    const client = await measureBundle(source);
    const pulled = packagesIn(client);
    if (pulled.has('pkijs') || pulled.has('asn1js')) {
      throw new Error(`the enrollment client (${card} card) pulled pkijs or asn1js in`);
    }
    rows.push({
      group: '4',
      name: `browser enrollment (EnrollmentBuilder, enrollCard, describeCertificate, ${card} card) ÷ pkijs whole`,
      ours: client.gzipped,
      reference: pkijs.gzipped,
      unit: 'kB',
      target: { below: ENROLLMENT_CLIENT_LIMIT_KB },
    });
  }
  return rows;
}
