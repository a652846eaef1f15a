import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { hasOpenssl, NEEDS_OPENSSL, scratch } from '../../support/openssl.js';
import { enrollAliceCard } from '../support/alice-card.js';
import { testCa, testClock } from '../support/ca.js';

/** The PIV authentication policy of the U.S. Federal PKI (id-fpki-common-authentication). */
const PIV_AUTH = '2.16.840.1.101.3.2.1.3.13';
const OTHER = '2.16.840.1.101.3.2.1.3.7';

async function pkiWith(policies: readonly string[] | undefined) {
  const clock = testClock();
  const ca = await testCa({
    issuing: true,
    clock,
    ...(policies === undefined ? {} : { certificatePolicies: policies }),
  });
  const { result } = await enrollAliceCard(ca);
  if (result.status !== 'installed') throw new Error(JSON.stringify(result));
  const leaf = result.certificate;
  return { ca, clock, leaf };
}

describe('the CA asserts certificate policies', () => {
  it('in the issuing CA and the card certificate: a path requiring the PIV policy validates', async () => {
    const { ca, clock, leaf } = await pkiWith([PIV_AUTH]);
    const options = { leaf, intermediates: [ca.issuer], trustAnchors: [ca.root], clock };
    expect(
      await validateCertificatePath({
        ...options,
        initialPolicySet: [PIV_AUTH],
        initialExplicitPolicy: true,
      }),
    ).toMatchObject({ valid: true, policies: [PIV_AUTH] });
    expect(
      await validateCertificatePath({
        ...options,
        initialPolicySet: [OTHER],
        initialExplicitPolicy: true,
      }),
    ).toMatchObject({ valid: false, reason: 'policy' });
  });

  it('none by default: a relying party that requires one refuses the card', async () => {
    const { ca, clock, leaf } = await pkiWith(undefined);
    const result = await validateCertificatePath({
      leaf,
      intermediates: [ca.issuer],
      trustAnchors: [ca.root],
      clock,
      initialPolicySet: [PIV_AUTH],
      initialExplicitPolicy: true,
    });
    expect(result).toMatchObject({ valid: false, reason: 'policy' });
  });

  it('refuses an option that is not a list of distinct OIDs', async () => {
    for (const bad of [['piv'], [PIV_AUTH, PIV_AUTH], 'x', [1]]) {
      await expect(testCa({ certificatePolicies: bad as never })).rejects.toThrow(
        InvalidInputError,
      );
    }
  });

  it.skipIf(!hasOpenssl)(
    `openssl verify -policy -explicit_policy agrees (${NEEDS_OPENSSL})`,
    async () => {
      const { ca, leaf } = await pkiWith([PIV_AUTH]);
      const files = scratch();
      try {
        const pem = (der: Uint8Array) =>
          `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
        const root = files.file('root.pem', pem(ca.root));
        const issuing = files.file('issuing.pem', pem(ca.issuer));
        const card = files.file('card.pem', pem(leaf));
        const verify = (policy: string) =>
          spawnSync(
            'openssl',
            [
              'verify',
              '-CAfile',
              root,
              '-untrusted',
              issuing,
              '-policy',
              policy,
              '-explicit_policy',
              '-attime',
              String(Math.floor(Date.parse('2026-03-02T00:00:00Z') / 1000)),
              card,
            ],
            { encoding: 'utf8' },
          );
        expect(verify(PIV_AUTH).stdout).toMatch(/: OK/);
        expect(verify(OTHER).status).not.toBe(0);
      } finally {
        files.remove();
      }
    },
  );
});
