/**
 * The KDC's certificate from the "Kerberos Authentication" template, read back by OpenSSL: the
 * KDC EKU (id-pkinit-KPKdc) beside Server Authentication, and the SAN's dNSName and otherName
 * id-pkinit-san naming krbtgt/CONTOSO.TEST@CONTOSO.TEST in the DER RFC 4556 gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CertificateAuthority,
  KerberosAuthenticationTemplate,
} from '../../src/enrollment/index.js';
import { toHex, utf8 } from '../../src/lib/bytes.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl } from '../support/openssl.js';
import { DOMAIN_CONTROLLER, makeKdcPki } from './support/kdc-pki.js';

const dir = mkdtempSync(join(tmpdir(), 'sc2fa-kdc-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A DER element: tag, short length, content. */
const der = (tag: string, content: string) =>
  `${tag}${(content.length / 2).toString(16).padStart(2, '0')}${content}`;
const generalString = (text: string) => der('1b', toHex(utf8(text)));

describe.skipIf(!hasOpenssl)(
  `the KDC's certificate (${hasOpenssl ? 'openssl' : NEEDS_OPENSSL})`,
  () => {
    it('carries the KDC EKU, the host name and krbtgt/REALM@REALM as id-pkinit-san', async () => {
      const { kdcCertificate } = await makeKdcPki(dir);
      const text = openssl('x509', '-in', join(dir, 'kdc.pem'), '-noout', '-text');
      expect(text).toContain('Signing KDC Response'); // OpenSSL's name of 1.3.6.1.5.2.3.5
      expect(text).toContain('TLS Web Server Authentication');
      expect(text).toContain('TLS Web Client Authentication');
      expect(text).toContain('Microsoft Smartcard Login');
      expect(text).toMatch(/othername: ?(1\.3\.6\.1\.5\.2\.2|krb5PrincipalName)/i);
      expect(text).toContain('DNS:dc1.contoso.test');
      expect(text).not.toContain('UPN');

      // KRB5PrincipalName ::= SEQUENCE { realm [0] Realm, principalName [1] PrincipalName },
      // PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF ... }
      const realm = generalString('CONTOSO.TEST');
      const principalName = der(
        '30',
        der('a0', '020102') + der('a1', der('30', generalString('krbtgt') + realm)),
      );
      const krb5PrincipalName = der('30', der('a0', realm) + der('a1', principalName));
      const otherName = der('a0', `06062b0601050202${der('a0', krb5PrincipalName)}`);
      const dnsName = der('82', toHex(utf8('dc1.contoso.test')));
      expect(toHex(kdcCertificate)).toContain(der('30', dnsName + otherName));
      expect(otherName.length / 2).toBe(65); // A0 3F, as worked out by hand

      openssl(
        'verify',
        '-CAfile',
        join(dir, 'ca-root.pem'),
        '-untrusted',
        join(dir, 'ca-issuer.pem'),
        join(dir, 'kdc.pem'),
      );
    });

    it('refuses a domain controller whose entry names no DNS host', async () => {
      const ca = await CertificateAuthority.create({
        templates: [KerberosAuthenticationTemplate],
        directory: [{ ...DOMAIN_CONTROLLER, domainComponents: [] }],
      });
      const key = join(dir, 'other-key.pem');
      openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key);
      const request = openssl('req', '-new', '-key', key, '-subj', '/CN=dc1');
      await expect(
        ca.issue(request, {
          requester: DOMAIN_CONTROLLER.account,
          template: KerberosAuthenticationTemplate.name,
        }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    });
  },
);
