/**
 * The OCSPRequest a client sends (RFC 6960 §4.1), written with lib's DER writer: one CertID per
 * certificate asked about, and a nonce (RFC 8954) unless told otherwise. Internal.
 */
import { readSingle } from '../../../lib/der.js';
import {
  type Der,
  explicit,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
} from '../../../lib/der-write.js';
import * as OCSP from '../../../lib/ocsp-oids.js';
import { type DigestName, digestOid } from '../../../lib/signature-algorithms.js';
import { sequence as children, contentOf } from '../asn1.js';

/** How many random octets a nonce holds: RFC 8954's most, and what its clients send. */
export const NONCE_OCTETS = 32;

/** What a CertID names: the issuer's subject and key, and the certificate's serial number. */
export interface CertIdInput {
  /** The issuer certificate's subject Name, DER. */
  readonly issuerName: Uint8Array;
  /** The issuer's SubjectPublicKeyInfo, DER. */
  readonly issuerSpki: Uint8Array;
  /** The certificate's serial number: the INTEGER's contents. */
  readonly serial: Uint8Array;
}

/** The contents of the subjectPublicKey BIT STRING of `spki` (without its unused-bits byte). */
export function subjectKeyBits(spki: Uint8Array): Uint8Array {
  const [, key] = children(spki, readSingle(spki));
  if (key?.tag !== 0x03) throw new TypeError('no subjectPublicKey');
  return contentOf(spki, key).subarray(1);
}

/** The hash of `data` with `hash`, as WebCrypto computes it. */
export async function digest(
  crypto: Crypto,
  hash: DigestName,
  data: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, new Uint8Array(data)));
}

/**
 * A CertID's AlgorithmIdentifier: SHA-1 with NULL parameters (as RFC 5019 responders and AD CS
 * expect, and OpenSSL writes), the SHA-2 digests with none (RFC 5754).
 */
function hashAlgorithm(hash: DigestName): Der {
  return hash === 'SHA-1'
    ? sequence(oid(digestOid(hash)), nullValue())
    : sequence(oid(digestOid(hash)));
}

/** A CertID's two hashes: of the issuer's subject DER, and of its key's BIT STRING contents. */
export async function certIdHashes(
  crypto: Crypto,
  hash: DigestName,
  input: CertIdInput,
): Promise<{ nameHash: Uint8Array; keyHash: Uint8Array }> {
  const [nameHash, keyHash] = await Promise.all([
    digest(crypto, hash, input.issuerName),
    digest(crypto, hash, subjectKeyBits(input.issuerSpki)),
  ]);
  return { nameHash, keyHash };
}

/** The DER of a CertID for `input` with `hash`. */
export async function encodeCertId(
  crypto: Crypto,
  hash: DigestName,
  input: CertIdInput,
): Promise<Der> {
  const { nameHash, keyHash } = await certIdHashes(crypto, hash, input);
  return sequence(
    hashAlgorithm(hash),
    octetString(nameHash),
    octetString(keyHash),
    integer(input.serial),
  );
}

/** The nonce extension of a request: the random octets as an OCTET STRING inside extnValue. */
export function nonceExtension(nonce: Uint8Array): Der {
  return sequence(oid(OCSP.nonce), octetString(octetString(nonce)));
}

/**
 * An unsigned OCSPRequest for the CertIDs `certIds` (each a CertID's DER), version 1 (left out,
 * as DER wants a default), with the nonce extension when `nonce` is given.
 */
export function encodeOcspRequest(certIds: readonly Uint8Array[], nonce?: Uint8Array): Der {
  const requests = sequence(...certIds.map((certId) => sequence(certId)));
  const extensions = nonce === undefined ? [] : [explicit(2, sequence(nonceExtension(nonce)))];
  return sequence(sequence(requests, ...extensions));
}
