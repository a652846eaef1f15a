/**
 * One SingleResponse of a basic OCSP response (RFC 6960 §4.2.1): the CertID it answers for, the
 * status with its revocation time and reason, and its validity window. Internal.
 */
import type { Tlv } from '../../../lib/der.js';
import { type DigestName, digestOf } from '../../../lib/signature-algorithms.js';
import { type RawExtension, readExtensions } from '../../../lib/x509-extensions.js';
import { contentOf, expect, oidOf, sequence, timeOf } from '../asn1.js';

/** The CRLReason values (RFC 5280 §5.3.1) by number; 7 is not used. */
export const CRL_REASONS: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** A CertID as read: its hash (`undefined` for one we do not compute) and its three values. */
export interface CertId {
  readonly hash: DigestName | undefined;
  readonly nameHash: Uint8Array;
  readonly keyHash: Uint8Array;
  /** The serial number INTEGER's contents. */
  readonly serial: Uint8Array;
}

/** What a responder says of one certificate. */
export type CertStatus =
  | { readonly kind: 'good' }
  | { readonly kind: 'revoked'; readonly revokedAt: number; readonly reason?: string }
  | { readonly kind: 'unknown' };

/** A SingleResponse as read. */
export interface SingleResponse {
  readonly certId: CertId;
  readonly status: CertStatus;
  readonly thisUpdate: number;
  readonly nextUpdate?: number;
  readonly extensions: ReadonlyMap<string, RawExtension>;
}

/** Reads the SingleResponse at `tlv`; throws `DerError` on what breaks its syntax. */
export function readSingleResponse(der: Uint8Array, tlv: Tlv): SingleResponse {
  const [certIdTlv, statusTlv, thisUpdateTlv, ...rest] = sequence(der, tlv);
  expect(thisUpdateTlv?.tag === 0x18, 'thisUpdate is not a GeneralizedTime');
  let nextUpdate: number | undefined;
  let extensions: ReadonlyMap<string, RawExtension> = new Map();
  let last = 0;
  for (const field of rest) {
    const order = [0xa0, 0xa1].indexOf(field.tag) + 1;
    expect(order > last, 'a SingleResponse has fields out of order');
    last = order;
    const [inner, extra] = sequence(der, field, field.tag);
    expect(inner !== undefined && extra === undefined, 'an explicit tag holds one element');
    if (field.tag === 0xa0) {
      expect(inner.tag === 0x18, 'nextUpdate is not a GeneralizedTime');
      nextUpdate = timeOf(der, inner);
    } else {
      extensions = readExtensions(der, inner);
    }
  }
  return {
    certId: readCertId(der, certIdTlv),
    status: readStatus(der, statusTlv),
    thisUpdate: timeOf(der, thisUpdateTlv),
    ...(nextUpdate === undefined ? {} : { nextUpdate }),
    extensions,
  };
}

function readCertId(der: Uint8Array, tlv: Tlv | undefined): CertId {
  const [algorithm, nameHash, keyHash, serial, extra] = sequence(der, tlv);
  expect(extra === undefined, 'a CertID has extra fields');
  const [hashOid, parameters, more] = sequence(der, algorithm);
  expect(more === undefined, 'a hash AlgorithmIdentifier has extra fields');
  expect(
    parameters === undefined ||
      (parameters.tag === 0x05 && parameters.end === parameters.valueStart),
    'a hash algorithm has parameters other than NULL',
  );
  expect(nameHash?.tag === 0x04 && keyHash?.tag === 0x04, 'a CertID hash is not an OCTET STRING');
  expect(serial?.tag === 0x02, 'a CertID serial number is not an INTEGER');
  return {
    hash: digestOf(oidOf(der, hashOid)),
    nameHash: contentOf(der, nameHash),
    keyHash: contentOf(der, keyHash),
    serial: contentOf(der, serial),
  };
}

function readStatus(der: Uint8Array, tlv: Tlv | undefined): CertStatus {
  expect(tlv !== undefined, 'no certStatus');
  if (tlv.tag === 0x80 || tlv.tag === 0x82) {
    expect(tlv.end === tlv.valueStart, 'a good or unknown status is not NULL');
    return { kind: tlv.tag === 0x80 ? 'good' : 'unknown' };
  }
  const [timeTlv, reasonTlv, extra] = sequence(der, tlv, 0xa1);
  expect(timeTlv?.tag === 0x18 && extra === undefined, 'a malformed RevokedInfo');
  const revokedAt = timeOf(der, timeTlv);
  if (reasonTlv === undefined) return { kind: 'revoked', revokedAt };
  const [enumerated, more] = sequence(der, reasonTlv, 0xa0);
  expect(enumerated?.tag === 0x0a && more === undefined, 'a malformed revocationReason');
  const code = contentOf(der, enumerated);
  const reason = code.length === 1 ? CRL_REASONS[code[0] as number] : undefined;
  expect(reason !== undefined, 'an unknown revocation reason');
  return { kind: 'revoked', revokedAt, reason };
}
