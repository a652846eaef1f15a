/**
 * The KDC's certificate: AD CS's "Kerberos Authentication" template, and the subject alternative
 * names a template asks for, taken from the directory entry.
 */
import { InvalidInputError } from '../../errors.js';
import { OID } from '../oids.js';
import type { DirectoryEntry } from '../request/types.js';
import type { IssuableTemplate } from './templates.js';
import type { SubjectAltNames } from './x509.js';

/** id-pkinit-KPKdc (RFC 4556 §3.2.4): the KDC's extended key usage. */
const KDC_AUTHENTICATION = '1.3.6.1.5.2.3.5';
/** id-kp-serverAuth. */
const SERVER_AUTHENTICATION = '1.3.6.1.5.5.7.3.1';
/** KRB_NT_SRV_INST: a service and its instance, as krbtgt/REALM. */
const NAME_TYPE_SERVICE_INSTANCE = 2;

/**
 * "Kerberos Authentication": the certificate of a domain controller's KDC, as AD CS has it:
 * Client Authentication, Server Authentication, Smart Card Logon and KDC Authentication
 * (id-pkinit-KPKdc 1.3.6.1.5.2.3.5); digital signature and key encipherment; one year. The
 * requester is the domain controller's computer account; its directory entry names the host
 * (`commonName`) and the domain (`domainComponents`). The SAN holds the host's DNS name
 * (`dc1.contoso.test`) as AD CS puts it, and also the KDC's principal `krbtgt/REALM@REALM`
 * (otherName id-pkinit-san, RFC 4556), the realm being the domain in capitals: what MIT
 * Kerberos clients check, where AD CS leaves it out.
 *
 * @example
 * ```ts
 * import {
 *   CertificateAuthority,
 *   KerberosAuthenticationTemplate,
 * } from 'smartcard-2fa/enrollment';
 *
 * declare const kdcRequestPem: string; // a PKCS#10 request made with the KDC's key
 * const ca = await CertificateAuthority.create({
 *   templates: [KerberosAuthenticationTemplate],
 *   directory: [{ account: 'CONTOSO\\DC1$', commonName: 'dc1', domainComponents: ['contoso', 'test'] }],
 * });
 * const answer = await ca.issue(kdcRequestPem, {
 *   requester: 'CONTOSO\\DC1$',
 *   template: KerberosAuthenticationTemplate.name,
 * });
 * if (answer.status === 'issued') console.log(answer.pem); // SAN: dc1.contoso.test, krbtgt/CONTOSO.TEST
 * ```
 *
 * @category Certificate authority
 */
export const KerberosAuthenticationTemplate: IssuableTemplate = Object.freeze({
  name: 'KerberosAuthentication',
  displayName: 'Kerberos Authentication',
  extendedKeyUsages: Object.freeze([
    OID.clientAuth,
    SERVER_AUTHENTICATION,
    OID.smartcardLogon,
    KDC_AUTHENTICATION,
  ]),
  keyUsage: Object.freeze(['digitalSignature', 'keyEncipherment'] as const),
  keySpecs: Object.freeze(['exchange', 'signature'] as const),
  minimumRsaKeySize: 2048,
  requiresUpn: false,
  requiresEmail: false,
  requiresApproval: false,
  validityDays: 365,
  onBehalfOf: false,
  subjectAltName: 'domain-controller' as const,
});

const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * The subject alternative names `template` gives the subject of `entry`: its UPN and e-mail, or
 * for a domain controller its host name and its KDC's principal.
 *
 * @category Certificate authority
 */
export function subjectAltNamesFor(
  template: IssuableTemplate,
  entry: DirectoryEntry,
): SubjectAltNames {
  if (template.subjectAltName !== 'domain-controller') {
    return { upn: entry.upn, email: entry.email };
  }
  const labels = [entry.commonName, ...(entry.domainComponents ?? [])];
  if ((entry.domainComponents ?? []).length === 0 || !labels.every((l) => DNS_LABEL.test(l))) {
    throw new InvalidInputError(
      `The directory entry of ${entry.account} names no host: a domain controller's common name and domain components are DNS labels.`,
    );
  }
  const realm = (entry.domainComponents ?? []).join('.').toUpperCase();
  return {
    dnsName: labels.join('.').toLowerCase(),
    kerberosPrincipal: {
      realm,
      components: ['krbtgt', realm],
      nameType: NAME_TYPE_SERVICE_INSTANCE,
    },
  };
}
