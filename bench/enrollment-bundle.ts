/**
 * Row 4 (enrollment): what a browser enrollment page downloads: the request builder, the
 * enrollment station (`enrollCard`, which shows the holder `describeCertificate`'s summary) and
 * a card (physical or virtual), bundled with esbuild (ESM, es2022, browser, minified) and
 * gzipped (level 9), beside pkijs whole. kB are 1000 bytes.
 * tests/package/enrollment-client-bundle.test.ts bundles the same entries and holds them under
 * {@link ENROLLMENT_CLIENT_LIMIT_KB} with no pkijs or asn1js in them.
 */
import { measureBundle, packagesIn } from './measure-bundle.js';
import type { Row } from './table.js';

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
