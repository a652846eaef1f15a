import { describe, expect, it } from 'vitest';
import { ENROLLMENT_CLIENT_LIMIT_KB, ENROLLMENT_CLIENTS } from '../../bench/enrollment-bundle.js';
import { measureBundle, packagesIn } from '../../bench/measure-bundle.js';

/**
 * A browser enrollment page (EnrollmentBuilder, enrollCard, describeCertificate and a card from
 * the `./enrollment` and `./card` entries), bundled with esbuild (minified, browser, ESM) and
 * gzipped, stays under 25 kB: the certificate summary reads DER with the SDK's own reader, so
 * neither pkijs nor asn1js is pulled in. The bench (`npm run bench`, row 4) shows the same sizes.
 */
describe('the enrollment client bundle', () => {
  it.each(Object.keys(ENROLLMENT_CLIENTS))(
    'with a %s card: under 25 kB gzipped, no pkijs or asn1js',
    async (card) => {
      const client = await measureBundle(
        ENROLLMENT_CLIENTS[card as keyof typeof ENROLLMENT_CLIENTS],
      );
      // What is measured is the enrollment client itself, the summary included.
      expect(client.inputs).toEqual(
        expect.arrayContaining([
          'src/enrollment/request/builder.ts',
          'src/enrollment/station/enroll-card.ts',
          'src/enrollment/station/certificate-info.ts',
        ]),
      );
      const pulled = [...packagesIn(client)];
      expect(pulled).not.toContain('pkijs');
      expect(pulled).not.toContain('asn1js');
      expect(
        client.gzipped,
        `${client.gzipped} kB gzipped (${client.minified} kB minified); packages: ${pulled.join(', ')}`,
      ).toBeLessThan(ENROLLMENT_CLIENT_LIMIT_KB);
    },
  );
});
