/**
 * The certificate policies a CA asserts (RFC 5280 §4.2.1.4; AD CS calls them issuance
 * policies): the extension written in the issuing CA's certificate and in what it issues, and
 * the check of the option. Internal.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InvalidInputError } from '../../errors.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';

const OID_PATTERN = /^[0-2](\.(0|[1-9]\d*))+$/;

/**
 * certificatePolicies, not critical: one PolicyInformation per OID, without qualifiers.
 *
 * @category Certificate authority
 */
export function certificatePoliciesExtension(oids: readonly string[]): pkijs.Extension {
  const value = new asn1js.Sequence({
    value: oids.map(
      (oid) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] }),
    ),
  });
  return new pkijs.Extension({
    extnID: EXTENSION.certificatePolicies,
    critical: false,
    extnValue: value.toBER(),
  });
}

/**
 * The `certificatePolicies` option: distinct policy OIDs (none by default).
 *
 * @category Certificate authority
 */
export function checkCertificatePolicies(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.some((oid) => typeof oid !== 'string' || !OID_PATTERN.test(oid)) ||
    new Set(value).size !== value.length
  ) {
    throw new InvalidInputError('certificatePolicies must be an array of distinct policy OIDs.');
  }
  return [...value];
}
