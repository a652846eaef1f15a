/**
 * Reading an OCSPRequest (RFC 6960 §4.1) strictly, with lib's DER reader: every field in its
 * place, DER throughout, a bounded number of CertIDs, and a nonce (RFC 8954) kept as the
 * extension the client sent so that the response echoes it byte for byte. Internal.
 */
import { toHex } from '../../lib/bytes.js';
import { checkTree, DerError, readSingle, type Tlv } from '../../lib/der.js';
import { booleanOf, contentOf, encodingOf, expect, oidOf, sequence } from '../../lib/der-values.js';
import * as OCSP from '../../lib/ocsp-oids.js';
import { type DigestName, digestOf } from '../../lib/signature-algorithms.js';

/** The most CertIDs one request may ask about: a client asks about one certificate, or a few. */
export const MAX_CERT_IDS = 64;
/** The longest nonce a request may carry (RFC 8954 §2.1: 1 to 32 octets). */
const MAX_NONCE_OCTETS = 32;

/** One CertID of a request, as sent, and what it names. */
export interface RequestedCertId {
  /** The CertID's DER, echoed in the answer. */
  readonly encoding: Uint8Array;
  /** Its hash algorithm, or `undefined` for one the responder does not compute. */
  readonly hash: DigestName | undefined;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** Lowercase hex of the serial number's DER contents. */
  readonly serialNumber: string;
}

/** What an OCSP request asks. */
export interface OcspRequestContents {
  readonly certIds: readonly RequestedCertId[];
  /** The nonce extension (its whole DER), when the request has one. */
  readonly nonce: Uint8Array | undefined;
}

/**
 * Reads `der` as an OCSPRequest. Throws `DerError` for anything that is not one: trailing bytes,
 * a version written out (DER omits the default v1), fields out of order, no CertID or more than
 * {@link MAX_CERT_IDS}, an unknown critical extension, a nonce not of 1 to 32 octets. The
 * optional signature is read for its shape and otherwise ignored (RFC 6960 §4.1.2).
 */
export function readOcspRequest(der: Uint8Array): OcspRequestContents {
  const top = readSingle(der);
  checkTree(der, top);
  const [tbs, signature, ...rest] = sequence(der, top);
  expect(rest.length === 0, 'an OCSPRequest has a tbsRequest and an optional signature');
  expect(signature === undefined || signature.tag === 0xa0, 'a bad optionalSignature');
  const fields = sequence(der, tbs);
  let at = 0;
  expect(fields[at]?.tag !== 0xa0, 'a DER request leaves the default version out');
  if (fields[at]?.tag === 0xa1) at += 1; // requestorName: not needed to answer
  const list = sequence(der, fields[at]);
  at += 1;
  let nonce: Uint8Array | undefined;
  if (fields[at]?.tag === 0xa2) {
    nonce = readExtensions(der, fields[at] as Tlv);
    at += 1;
  }
  expect(at === fields.length, 'unexpected fields in the tbsRequest');
  expect(list.length > 0, 'a request asks about at least one certificate');
  expect(list.length <= MAX_CERT_IDS, `a request asks about at most ${MAX_CERT_IDS} certificates`);
  const certIds = list.map((request) => {
    const [certId, single, ...more] = sequence(der, request);
    expect(more.length === 0, 'a Request has a CertID and optional extensions');
    if (single !== undefined) {
      expect(single.tag === 0xa0, 'a bad singleRequestExtensions');
      readExtensions(der, single);
    }
    return readCertId(der, certId);
  });
  return { certIds, nonce };
}

/** CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }. */
function readCertId(der: Uint8Array, certId: Tlv | undefined): RequestedCertId {
  const [algorithm, nameHash, keyHash, serial, ...rest] = sequence(der, certId);
  expect(rest.length === 0 && serial?.tag === 0x02, 'a CertID has four fields');
  expect(nameHash?.tag === 0x04 && keyHash?.tag === 0x04, 'a CertID hash is an OCTET STRING');
  const [hashOid, parameters, ...extra] = sequence(der, algorithm);
  expect(extra.length === 0, 'an AlgorithmIdentifier has two fields at most');
  expect(
    parameters === undefined ||
      (parameters.tag === 0x05 && parameters.end === parameters.valueStart),
    'a hash algorithm has NULL or no parameters',
  );
  // A negative serial is no serial of this CA's (answered unknown), not a malformed request.
  const value = contentOf(der, serial as Tlv);
  return {
    encoding: encodingOf(der, certId as Tlv),
    hash: digestOf(oidOf(der, hashOid)),
    issuerNameHash: contentOf(der, nameHash),
    issuerKeyHash: contentOf(der, keyHash),
    serialNumber: toHex(value),
  };
}

/**
 * `[n] EXPLICIT Extensions`: each OID once, critical only when TRUE is written (DER), only the
 * nonce understood. Answers the nonce extension's DER, if any.
 */
function readExtensions(der: Uint8Array, tagged: Tlv): Uint8Array | undefined {
  const [list, ...rest] = sequence(der, tagged, tagged.tag);
  expect(rest.length === 0, 'one Extensions inside its tag');
  const seen = new Set<string>();
  let nonce: Uint8Array | undefined;
  for (const extension of sequence(der, list)) {
    const parts = sequence(der, extension);
    const id = oidOf(der, parts[0]);
    expect(!seen.has(id), `the extension ${id} appears twice`);
    seen.add(id);
    const critical = parts.length === 3 && booleanOf(der, parts[1] as Tlv);
    expect(parts.length === 2 || critical, 'an extension writes critical only when TRUE');
    const value = parts[parts.length - 1];
    expect(value?.tag === 0x04, 'an extension value is an OCTET STRING');
    if (id === OCSP.nonce) {
      const inner = contentOf(der, value);
      const octets = readSingle(inner);
      const size = octets.end - octets.valueStart;
      expect(octets.tag === 0x04 && size >= 1 && size <= MAX_NONCE_OCTETS, 'a bad nonce');
      nonce = encodingOf(der, extension);
    } else if (critical) {
      throw new DerError(`an unknown critical extension ${id}`);
    }
  }
  return nonce;
}
