/**
 * Strong certificate mapping (KB5014754): the CA writes the directory entry's SID into the card
 * certificate, as AD CS does; a SID that is not one is refused at issue, with nothing issued;
 * OpenSSL, which we did not write, reads the otherName and the SID text back.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateAuthority, DirectoryEntry } from '../../../src/enrollment/index.js';
import { readCertificateSid } from '../../../src/lib/security-identifier.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl, scratch } from '../../support/openssl.js';
import { enrollAliceCard } from '../support/alice-card.js';
import { ALICE, testCa } from '../support/ca.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';

const enroll = async (ca: CertificateAuthority) => (await enrollAliceCard(ca)).result;

const caWith = (entry: DirectoryEntry) => testCa({ issuing: true, directory: [entry] });

describe('the CA writes the SID of the directory entry', () => {
  it('into the card certificate when the entry has one, and not otherwise', async () => {
    const issued = await enroll(await caWith({ ...ALICE, sid: SID }));
    if (issued.status !== 'installed') throw new Error(issued.status);
    expect(readCertificateSid(issued.certificate)).toBe(SID);
    const without = await enroll(await caWith(ALICE));
    if (without.status !== 'installed') throw new Error(without.status);
    expect(readCertificateSid(without.certificate)).toBeUndefined();
  });

  it('refuses a SID that is not one: a typed error, nothing issued', async () => {
    for (const sid of ['S-1-5', 'S-1-5-21-01', 'alice', `S-1-5-${2 ** 32}`]) {
      const ca = await caWith({ ...ALICE, sid });
      await expect(enroll(ca)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      expect(ca.disposition(1)).toBeUndefined();
    }
  });

  it.skipIf(!hasOpenssl)(
    `OpenSSL reads the otherName and the SID back (${NEEDS_OPENSSL})`,
    async () => {
      const issued = await enroll(await caWith({ ...ALICE, sid: SID }));
      if (issued.status !== 'installed') throw new Error(issued.status);
      const files = scratch();
      try {
        const path = files.file('card.der', Buffer.from(issued.certificate));
        const text = openssl('x509', '-inform', 'DER', '-in', path, '-noout', '-text');
        expect(text).toContain('1.3.6.1.4.1.311.25.2:');
        const lines = openssl('asn1parse', '-inform', 'DER', '-in', path).split('\n');
        const oidLine = lines.findIndex((line) => /:1\.3\.6\.1\.4\.1\.311\.25\.2\s*$/.test(line));
        // The extnValue, an OCTET STRING, follows the extension's OID: parse inside it.
        const offset = /^\s*(\d+):.*OCTET STRING/.exec(lines[oidLine + 1] ?? '')?.[1];
        expect(offset, lines.join('\n')).toBeDefined();
        const inner = openssl('asn1parse', '-inform', 'DER', '-in', path, '-strparse', `${offset}`);
        expect(inner).toContain(':1.3.6.1.4.1.311.25.2.1');
        expect(inner).toMatch(new RegExp(`OCTET STRING\\s+:${SID}`));
      } finally {
        files.remove();
      }
    },
  );
});
