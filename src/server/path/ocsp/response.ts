/**
 * Reading an OCSPResponse (RFC 6960 §4.2) strictly with lib's DER reader: the response status,
 * a basic response only, every field in its place and DER throughout. What cannot be read is a
 * reason (a string), never a throw: an unusable response. Internal.
 */
import { checkTree, readSingle, type Tlv, unreadable } from '../../../lib/der.js';
import { nameKey } from '../../../lib/names.js';
import * as OCSP from '../../../lib/ocsp-oids.js';
import { type RawExtension, readExtensions } from '../../../lib/x509-extensions.js';
import { contentOf, encodingOf, expect, oidOf, sequence, timeOf } from '../asn1.js';
import { type CertId, readSingleResponse, type SingleResponse } from './single-response.js';

export type { CertId, SingleResponse };

/** The OCSPResponseStatus values (RFC 6960 §4.2.1), by number; 4 is not used. */
export const RESPONSE_STATUS: Readonly<Record<number, string>> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

/** Who signed a basic response: a Name (DER and comparison key) or the SHA-1 of a key. */
export type ResponderId =
  | { readonly byName: Uint8Array; readonly nameKey: string }
  | { readonly byKey: Uint8Array };

/** A BasicOCSPResponse as read: the signed part and what the checks need of it. */
export interface BasicResponse {
  readonly responderId: ResponderId;
  readonly producedAt: number;
  readonly responses: readonly SingleResponse[];
  readonly extensions: ReadonlyMap<string, RawExtension>;
  /** The tbsResponseData's DER: what the signature covers. */
  readonly tbs: Uint8Array;
  /** The signatureAlgorithm's DER. */
  readonly algorithm: Uint8Array;
  readonly signature: Uint8Array;
  /** The certificates the responder sent (DER), to find a delegated responder among. */
  readonly certs: readonly Uint8Array[];
}

/** A read response: a basic response, or a status other than `successful`. */
export type ReadResponse =
  | { readonly status: 'successful'; readonly basic: BasicResponse }
  | { readonly status: string };

/** Reads `der` as an OCSPResponse, or says why it cannot be used. */
export function readOcspResponse(der: Uint8Array): ReadResponse | string {
  try {
    return read(der);
  } catch (error) {
    return unreadable(error);
  }
}

function read(der: Uint8Array): ReadResponse {
  const top = readSingle(der);
  checkTree(der, top);
  const [statusTlv, bytesTlv, ...rest] = sequence(der, top);
  expect(statusTlv?.tag === 0x0a && rest.length === 0, 'not an OCSPResponse');
  const statusBytes = contentOf(der, statusTlv);
  expect(statusBytes.length === 1, 'the response status is not one octet');
  const status = RESPONSE_STATUS[statusBytes[0] as number];
  expect(status !== undefined, `an unknown response status ${statusBytes[0]}`);
  if (status !== 'successful') {
    expect(bytesTlv === undefined, 'an unsuccessful response carries responseBytes');
    return { status };
  }
  const [responseBytes, ...more] = sequence(der, bytesTlv, 0xa0);
  expect(more.length === 0, 'responseBytes is explicitly tagged once');
  const [type, octets, extra] = sequence(der, responseBytes);
  expect(extra === undefined && octets?.tag === 0x04, 'a malformed ResponseBytes');
  expect(oidOf(der, type) === OCSP.basicResponse, 'not a basic OCSP response');
  return { status, basic: readBasic(contentOf(der, octets)) };
}

function readBasic(der: Uint8Array): BasicResponse {
  const top = readSingle(der);
  checkTree(der, top);
  const [tbsTlv, algorithmTlv, signatureTlv, certsTlv, ...rest] = sequence(der, top);
  expect(rest.length === 0 && algorithmTlv?.tag === 0x30, 'a malformed BasicOCSPResponse');
  expect(signatureTlv?.tag === 0x03, 'the signature is not a BIT STRING');
  const signatureBits = contentOf(der, signatureTlv);
  expect(signatureBits[0] === 0, 'the signature BIT STRING has unused bits');
  const certs =
    certsTlv === undefined
      ? []
      : sequence(der, single(sequence(der, certsTlv, 0xa0))).map((cert) => encodingOf(der, cert));
  const fields = sequence(der, tbsTlv);
  expect(fields[0]?.tag !== 0xa0, 'a version is written out (DER leaves the default v1 out)');
  const [responderTlv, producedTlv, responsesTlv, extensionsTlv, ...extra] = fields;
  expect(extra.length === 0, 'tbsResponseData has extra fields');
  expect(producedTlv?.tag === 0x18, 'producedAt is not a GeneralizedTime');
  const responses = sequence(der, responsesTlv).map((item) => readSingleResponse(der, item));
  return {
    responderId: responderId(der, responderTlv),
    producedAt: timeOf(der, producedTlv),
    responses,
    extensions:
      extensionsTlv === undefined
        ? new Map()
        : readExtensions(der, single(sequence(der, extensionsTlv, 0xa1))),
    tbs: encodingOf(der, tbsTlv as Tlv),
    algorithm: encodingOf(der, algorithmTlv),
    signature: signatureBits.subarray(1),
    certs,
  };
}

function responderId(der: Uint8Array, tlv: Tlv | undefined): ResponderId {
  expect(tlv !== undefined, 'no responderID');
  if (tlv.tag === 0xa1) {
    const name = single(sequence(der, tlv, 0xa1));
    return { byName: encodingOf(der, name), nameKey: nameKey(der, name) };
  }
  const hash = single(sequence(der, tlv, 0xa2));
  expect(hash.tag === 0x04, 'a byKey responderID is not an OCTET STRING');
  const byKey = contentOf(der, hash);
  expect(byKey.length === 20, 'a byKey responderID is not a SHA-1 hash');
  return { byKey };
}

function single(items: Tlv[]): Tlv {
  expect(items.length === 1 && items[0] !== undefined, 'an explicit tag holds one element');
  return items[0];
}
