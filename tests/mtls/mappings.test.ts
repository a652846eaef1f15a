/**
 * Account mappings as a domain controller's altSecurityIdentities: the forms are checked against
 * what OpenSSL and Node read from the same certificate (the serial's bytes reversed, as AD
 * stores X509:<I>..<SR>..), strong ones are tried first, weak ones only when allowed, and the
 * SID must be the account's when required.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../src/enrollment/index.js';
import { ia5String, utf8String } from '../../src/lib/der-write.js';
import {
  type CertificateMapping,
  type ClientCertificateOptions,
  ClientCertificateVerifier,
  certificateMappingsOf,
} from '../../src/server/index.js';
import {
  C,
  CN,
  certificate,
  DC,
  name,
  O,
  printable,
} from '../enrollment/support/hand-made-certificate.js';
import { codeOf } from '../support/errors.js';
import { hasOpenssl, openssl, scratch } from '../support/openssl.js';
import { ALICE, issueTo, makeCa, type SoftwareClient } from './support/pki.js';

describe('account mappings (altSecurityIdentities, KB5014754)', () => {
  let ca: CertificateAuthority;
  let alice: SoftwareClient;
  let trust: ClientCertificateOptions;

  beforeAll(async () => {
    ca = await makeCa();
    alice = await issueTo(ca, ALICE);
    trust = { trustAnchors: [ca.root], intermediates: [ca.issuer] };
  }, 30_000);

  /** Every mapping the verifier offers `lookup`, in order, with `strength`. */
  async function offered(strength: 'strong' | 'any'): Promise<CertificateMapping[]> {
    const seen: CertificateMapping[] = [];
    const verifier = new ClientCertificateVerifier({
      ...trust,
      accounts: { lookup: (mapping) => void seen.push(mapping), strength },
    });
    const result = await verifier.verify({ peerCertificate: { raw: alice.der } });
    expect(result).toMatchObject({ verified: false, reason: 'no-account' });
    return seen;
  }

  it.skipIf(!hasOpenssl)(
    'writes the forms AD stores, as OpenSSL and Node read the certificate',
    async () => {
      const x509 = new X509Certificate(alice.der);
      const reversed = Buffer.from(x509.serialNumber, 'hex').reverse().toString('hex');
      const dir = scratch();
      const file = dir.file('alice.pem', alice.cert);
      const ski = /X509v3 Subject Key Identifier:\s*([0-9A-F:]+)/
        .exec(openssl('x509', '-in', file, '-noout', '-ext', 'subjectKeyIdentifier'))?.[1]
        ?.replaceAll(':', '')
        .toLowerCase();
      dir.remove();
      const issuer = 'CN=Contoso Issuing CA';
      // The subject public key as Node reads it: P-256's uncompressed point, 04 || x || y.
      const jwk = x509.publicKey.export({ format: 'jwk' });
      const point = Buffer.concat([
        Buffer.of(4),
        Buffer.from(String(jwk.x), 'base64url'),
        Buffer.from(String(jwk.y), 'base64url'),
      ]);
      const keySha1 = createHash('sha1').update(point).digest('hex');
      const subject = x509.subject.split('\n').join(',');
      expect(await offered('any')).toEqual([
        { kind: 'sid', value: ALICE.sid, strong: true },
        { kind: 'issuer-serial', value: `X509:<I>${issuer}<SR>${reversed}`, strong: true },
        { kind: 'ski', value: `X509:<SKI>${ski}`, strong: true },
        {
          kind: 'sha1-public-key',
          value: `X509:<SHA1-PUKEY>${x509.fingerprint.replaceAll(':', '').toLowerCase()}`,
          strong: true,
        },
        { kind: 'sha1-public-key', value: `X509:<SHA1-PUKEY>${keySha1}`, strong: true },
        { kind: 'issuer-subject', value: `X509:<I>${issuer}<S>${subject}`, strong: false },
        { kind: 'subject', value: `X509:<S>${subject}`, strong: false },
        { kind: 'rfc822', value: `X509:<RFC822>${ALICE.email}`, strong: false },
        { kind: 'upn', value: ALICE.upn, strong: false },
      ]);
      expect(reversed).not.toBe(x509.serialNumber.toLowerCase());
    },
  );

  it('tries only strong mappings by default, as a DC in Full Enforcement', async () => {
    expect((await offered('strong')).map((mapping) => mapping.kind)).toEqual([
      'sid',
      'issuer-serial',
      'ski',
      'sha1-public-key',
      'sha1-public-key',
    ]);
    const byUpn = new ClientCertificateVerifier({
      ...trust,
      accounts: { lookup: (mapping) => (mapping.kind === 'upn' ? 'CONTOSO\\alice' : undefined) },
    });
    expect(await byUpn.verify({ peerCertificate: { raw: alice.der } })).toEqual({
      verified: false,
      reason: 'no-account',
      detail: 'No strong mapping names an account (weak ones are not tried: strength is strong).',
    });
  });

  it('answers the first account a mapping names, and which mapping it was', async () => {
    const x509 = new X509Certificate(alice.der);
    const serial = Buffer.from(x509.serialNumber, 'hex').reverse().toString('hex');
    const altSecurityIdentities = new Map([
      [`x509:<i>cn=contoso issuing ca<sr>${serial}`, 'CONTOSO\\alice'],
      [ALICE.upn, 'CONTOSO\\mallory'],
    ]);
    const lookup = (mapping: CertificateMapping) =>
      altSecurityIdentities.get(mapping.value.toLowerCase());
    const strong = new ClientCertificateVerifier({ ...trust, accounts: { lookup } });
    expect(await strong.verify({ peerCertificate: { raw: alice.der } })).toMatchObject({
      verified: true,
      account: 'CONTOSO\\alice',
      mapping: { kind: 'issuer-serial', strong: true },
      user: { name: 'CONTOSO\\alice', matched: 'issuer-serial', upn: ALICE.upn, sid: ALICE.sid },
    });
    altSecurityIdentities.delete(`x509:<i>cn=contoso issuing ca<sr>${serial}`);
    const weak = new ClientCertificateVerifier({ ...trust, accounts: { lookup, strength: 'any' } });
    expect(await weak.verify({ peerCertificate: { raw: alice.der } })).toMatchObject({
      verified: true,
      account: 'CONTOSO\\mallory',
      mapping: { kind: 'upn', strong: false },
    });
  });

  it("refuses a SID that is not the account's, as the Authenticator does", async () => {
    const other = 'S-1-5-21-1004336348-1177238915-682003330-1106';
    const verifier = new ClientCertificateVerifier({
      ...trust,
      securityIdentifier: { lookup: () => other },
    });
    expect(await verifier.verify({ peerCertificate: { raw: alice.der } })).toMatchObject({
      verified: false,
      reason: 'wrong-user',
      detail: `The certificate's SID ${ALICE.sid} is not the account's (${other}).`,
    });
    const right = new ClientCertificateVerifier({
      ...trust,
      securityIdentifier: { lookup: (user) => (user.name === ALICE.upn ? ALICE.sid : undefined) },
    });
    expect(await right.verify({ peerCertificate: { raw: alice.der } })).toMatchObject({
      verified: true,
      user: { name: ALICE.upn, sid: ALICE.sid },
    });
  });

  it('certificateMappingsOf gives an app the same mappings to record, and refuses what is no certificate', async () => {
    expect(await certificateMappingsOf(alice.der)).toEqual(await offered('any'));
    expect(await codeOf(certificateMappingsOf(new Uint8Array([0x30, 0x00])))).toBe(
      'ERR_INVALID_INPUT',
    );
    expect(await codeOf(certificateMappingsOf('MIIB' as never))).toBe('ERR_INVALID_INPUT');
  });

  it('writes a multi-valued RDN with + (RFC 4514), its values escaped', async () => {
    const der = certificate({
      issuer: name([[DC, ia5String('test')]], [[CN, utf8String('Issuing CA')]]),
      subject: name(
        [[DC, ia5String('test')]],
        [
          [O, utf8String('Contoso+Fabrikam, Ltd')],
          [C, printable('SE')],
        ],
        [[CN, utf8String('Alice')]],
      ),
    });
    const forms = (await certificateMappingsOf(der)).map((mapping) => mapping.value);
    expect(forms).toContain('X509:<S>DC=test,C=SE+O=Contoso\\+Fabrikam\\, Ltd,CN=Alice');
    expect(forms).toContain(
      'X509:<I>DC=test,CN=Issuing CA<S>DC=test,C=SE+O=Contoso\\+Fabrikam\\, Ltd,CN=Alice',
    );
  });

  it('refuses bad accounts options at construction', async () => {
    const make = (accounts: unknown) => async () =>
      new ClientCertificateVerifier({ ...trust, accounts: accounts as never });
    expect(await codeOf(make({})())).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(make({ lookup: () => undefined, strength: 'weak' })())).toBe(
      'ERR_INVALID_INPUT',
    );
    // The verifier's own name in the message, not the Authenticator's whose check it shares.
    expect(
      () => new ClientCertificateVerifier({ ...trust, securityIdentifier: {} as never }),
    ).toThrow(/^ClientCertificateVerifier: securityIdentifier\.lookup must be a function\.$/);
  });
});
