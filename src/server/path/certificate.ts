/**
 * A certificate as path validation sees it: the raw names, times, key and extensions, read
 * with the strict DER reader; names also as their RFC 5280 §7.1 comparison keys. Internal.
 */
import { certificateSpki, type Tlv, unreadable } from '../../lib/der.js';
import { nameKey } from '../../lib/names.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import {
  contentOf,
  encodingOf,
  expect,
  sameBytes,
  sequence,
  smallIntegerOf,
  timeOf,
  topSequence,
} from './asn1.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  checkAuthorityInfoAccess,
  extKeyUsage,
  keyUsage,
  type RawExtension,
  readExtensions,
  subjectKeyIdentifier,
} from './extensions.js';
import { type NameConstraints, readNameConstraints } from './name-constraints.js';
import {
  type CertificatePolicyFacts,
  certificatePolicies,
  inhibitAnyPolicy,
  policyConstraints,
  policyMappings,
} from './policy-extensions.js';
import type { KeyUsageName } from './types.js';

/** A parsed certificate. Names and keys are the DER encodings; names compare by their keys.
 *
 * @category Server
 */
export interface PathCertificate extends CertificatePolicyFacts {
  readonly der: Uint8Array;
  readonly serial: Uint8Array;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  /** The issuer's and subject's names as RFC 5280 §7.1 compares them (see `nameKey`). */
  readonly issuerKey: string;
  readonly subjectKey: string;
  readonly subjectEmpty: boolean;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly spki: Uint8Array;
  readonly tbs: Uint8Array;
  readonly algorithm: Uint8Array;
  readonly signature: Uint8Array;
  readonly extensions: ReadonlyMap<string, RawExtension>;
  readonly basic?: { readonly cA: boolean; readonly pathLen?: number };
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  readonly eku?: readonly string[];
  readonly ski?: Uint8Array;
  readonly aki?: { readonly keyId?: Uint8Array; readonly hasIssuerAndSerial: boolean };
  /** Where the subject Name is in `der`, for reading its names again. */
  readonly subjectName: Tlv;
  /** The CA's name constraints, when it has the extension. */
  readonly nameConstraints?: NameConstraints;
  /** Subject and issuer are the same name (RFC 5280 "self-issued"). */
  readonly selfIssued: boolean;
}

/** Parses `der`, or returns the reason it is not an acceptable X.509 v3 certificate.
 *
 * @category Server
 */
export function parseCertificate(der: Uint8Array): PathCertificate | string {
  try {
    return parse(der);
  } catch (error) {
    return unreadable(error);
  }
}

function parse(der: Uint8Array): PathCertificate {
  const spki = certificateSpki(der);
  const [tbsTlv, outerAlgorithm, signatureTlv] = topSequence(der) as [Tlv, Tlv, Tlv];
  const fields = sequence(der, tbsTlv);
  expect(fields[0]?.tag === 0xa0, 'a v1 certificate (X.509 v3 is required)');
  expect(
    smallIntegerOf(der, sequence(der, fields[0], 0xa0)[0]) === 2,
    'not an X.509 v3 certificate',
  );
  const [, serialTlv, innerAlgorithm, issuerTlv, validityTlv, subjectTlv] = fields as Tlv[];
  const serial = contentOf(der, serialTlv as Tlv);
  expect(((serial[0] ?? 0) & 0x80) === 0, 'a negative serial number');
  expect(
    serial.some((b) => b !== 0),
    'a zero serial number',
  );
  expect(
    serial.length <= 20 || (serial.length === 21 && serial[0] === 0),
    'a serial over 20 octets',
  );
  const algorithm = encodingOf(der, outerAlgorithm);
  expect(
    sameBytes(algorithm, encodingOf(der, innerAlgorithm as Tlv)),
    'the signature algorithms differ',
  );
  expect(sequence(der, issuerTlv).length > 0, 'an empty issuer name');
  const [notBefore, notAfter] = sequence(der, validityTlv);
  const signatureBits = contentOf(der, signatureTlv);
  expect(signatureBits[0] === 0, 'the signature BIT STRING has unused bits');
  const extensionsTlv = fields.find((field) => field.tag === 0xa3);
  const extensions =
    extensionsTlv === undefined
      ? new Map<string, RawExtension>()
      : readExtensions(der, single(sequence(der, extensionsTlv, 0xa3)));
  const issuer = encodingOf(der, issuerTlv as Tlv);
  const subject = encodingOf(der, subjectTlv as Tlv);
  const issuerKey = nameKey(der, issuerTlv as Tlv);
  const subjectKey = nameKey(der, subjectTlv as Tlv);
  const base = {
    der,
    serial,
    issuer,
    subject,
    issuerKey,
    subjectKey,
    subjectName: subjectTlv as Tlv,
    subjectEmpty: sequence(der, subjectTlv).length === 0,
    notBefore: timeOf(der, notBefore),
    notAfter: timeOf(der, notAfter),
    spki,
    tbs: encodingOf(der, tbsTlv),
    algorithm,
    signature: signatureBits.subarray(1),
    extensions,
    selfIssued: issuerKey === subjectKey,
  };
  return { ...base, ...decodeExtensions(extensions) };
}

type Decoded = Pick<
  PathCertificate,
  'basic' | 'keyUsage' | 'eku' | 'ski' | 'aki' | 'nameConstraints' | keyof CertificatePolicyFacts
>;

function decodeExtensions(extensions: ReadonlyMap<string, RawExtension>): Decoded {
  const get = (oid: string) => extensions.get(oid)?.value;
  const out: { -readonly [K in keyof Decoded]: Decoded[K] } = {};
  const bc = get(EXTENSION.basicConstraints);
  if (bc !== undefined) out.basic = basicConstraints(bc);
  const ku = get(EXTENSION.keyUsage);
  if (ku !== undefined) out.keyUsage = keyUsage(ku);
  const eku = get(EXTENSION.extKeyUsage);
  if (eku !== undefined) out.eku = extKeyUsage(eku);
  const ski = get(EXTENSION.subjectKeyIdentifier);
  if (ski !== undefined) out.ski = subjectKeyIdentifier(ski);
  const aki = get(EXTENSION.authorityKeyIdentifier);
  if (aki !== undefined) out.aki = authorityKeyIdentifier(aki);
  const policies = get(EXTENSION.certificatePolicies);
  if (policies !== undefined) out.policies = certificatePolicies(policies);
  const mappings = get(EXTENSION.policyMappings);
  if (mappings !== undefined) out.policyMappings = policyMappings(mappings);
  const policyLimits = get(EXTENSION.policyConstraints);
  if (policyLimits !== undefined) out.policyConstraints = policyConstraints(policyLimits);
  const inhibitAny = get(EXTENSION.inhibitAnyPolicy);
  if (inhibitAny !== undefined) out.inhibitAnyPolicy = inhibitAnyPolicy(inhibitAny);
  const constraints = get(EXTENSION.nameConstraints);
  if (constraints !== undefined) out.nameConstraints = readNameConstraints(constraints);
  const aia = get(EXTENSION.authorityInfoAccess);
  if (aia !== undefined) checkAuthorityInfoAccess(aia);
  return out;
}

function single(items: Tlv[]): Tlv {
  expect(items.length === 1, 'the extensions field holds one SEQUENCE');
  return items[0] as Tlv;
}
