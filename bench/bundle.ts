/**
 * Row 4: what a browser downloads, bundled with esbuild (ESM, es2022, browser, minified) and
 * gzipped (level 9): each browser-facing entry whole, the code a browser sign-in needs, and the
 * peers whole. kB are 1000 bytes.
 */
import { check } from './harness.js';
import { measureBundle as measure } from './measure-bundle.js';
import type { Row } from './table.js';

/** The code of a browser sign-in against a remote server: machine, facade, card, messages. */
export const SIGN_IN_CLIENT = [
  "export { MemoryStore, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';",
  "export { createSignInMachine, Secret, viewSignIn } from 'smartcard-2fa/session';",
  "export { createActor } from 'xstate';",
].join('\n');

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
