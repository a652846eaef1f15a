/**
 * What the OCSP responder tests share: requests written byte by byte (a CertID for any serial,
 * hash and issuer), responses read with pkijs (another reader than the responder's writer), and
 * the response's signature checked with node:crypto.
 */
import { verify, X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { fromHex } from '../../../src/lib/bytes.js';
import { certificateFields, children, readSingle } from '../../../src/lib/der.js';
import { encodingOf, timeOf } from '../../../src/lib/der-values.js';
import {
  explicit,
  nullValue,
  octetString,
  oid,
  sequence,
  tlv,
} from '../../../src/lib/der-write.js';
import { type DigestName, digestOid } from '../../../src/lib/signature-algorithms.js';

export const NONCE_OID = '1.3.6.1.5.5.7.48.1.2';

export interface CertIdOptions {
  readonly hash?: DigestName;
  /** The serial asked about: the INTEGER's contents in hex, as is; the certificate's own by default. */
  readonly serial?: string;
}

async function digest(hash: DigestName, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, bytes.slice()));
}

/** The hash of a certificate's subjectPublicKey bits, as a CertID's issuerKeyHash. */
export async function keyHash(certificate: Uint8Array, hash: DigestName): Promise<Uint8Array> {
  const spki = encodingOf(certificate, certificateFields(certificate).subjectPublicKeyInfo);
  const [, bits] = children(spki, readSingle(spki));
  return digest(hash, spki.subarray((bits?.valueStart ?? 0) + 1, bits?.end));
}

/** A CertID naming `issuer` (DER certificate) and `certificate`'s serial (or `options.serial`). */
export async function certId(
  certificate: Uint8Array,
  issuer: Uint8Array,
  options: CertIdOptions = {},
): Promise<Uint8Array> {
  const hash = options.hash ?? 'SHA-1';
  const issuerFields = certificateFields(issuer);
  const name = encodingOf(issuer, issuerFields.subject);
  const fields = certificateFields(certificate);
  const serial =
    options.serial === undefined
      ? certificate.subarray(fields.serialNumber.valueStart, fields.serialNumber.end)
      : (fromHex(options.serial) as Uint8Array);
  return sequence(
    hash === 'SHA-1' ? sequence(oid(digestOid(hash)), nullValue()) : sequence(oid(digestOid(hash))),
    octetString(await digest(hash, name)),
    octetString(await keyHash(issuer, hash)),
    tlv(0x02, serial),
  );
}

/** An OCSPRequest of `certIds`, with a nonce extension when `nonce` is given. */
export function ocspRequest(certIds: readonly Uint8Array[], nonce?: Uint8Array): Uint8Array {
  const list = sequence(...certIds.map((id) => sequence(id)));
  const extensions =
    nonce === undefined
      ? []
      : [explicit(2, sequence(sequence(oid(NONCE_OID), octetString(octetString(nonce)))))];
  return sequence(sequence(list, ...extensions));
}

export interface ReadStatus {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revocationTime?: number;
  /** The CRLReason code, when the response gives one. */
  readonly reason?: number;
}

export interface ReadResponse {
  readonly responseStatus: number;
  readonly basic?: pkijs.BasicOCSPResponse;
  readonly statuses: ReadStatus[];
  readonly nonce?: Uint8Array;
  readonly certs: Uint8Array[];
}

/** Reads an OCSPResponse with pkijs, each CertStatus with lib's DER reader. */
export function readResponse(der: Uint8Array): ReadResponse {
  const response = pkijs.OCSPResponse.fromBER(der.slice());
  const responseStatus = response.responseStatus.valueBlock.valueDec;
  if (response.responseBytes === undefined) return { responseStatus, statuses: [], certs: [] };
  const basic = pkijs.BasicOCSPResponse.fromBER(
    response.responseBytes.response.valueBlock.valueHexView.slice(),
  );
  const statuses = basic.tbsResponseData.responses.map((single): ReadStatus => {
    const status = new Uint8Array(single.certStatus.toBER());
    if (status[0] === 0x80) return { status: 'good' };
    if (status[0] === 0x82) return { status: 'unknown' };
    const info = children(status, readSingle(status));
    const reason =
      info[1] === undefined ? undefined : (status[(info[1].end as number) - 1] as number);
    return {
      status: 'revoked',
      revocationTime: timeOf(status, info[0]),
      ...(reason === undefined ? {} : { reason }),
    };
  });
  const nonceExtension = basic.tbsResponseData.responseExtensions?.find(
    (extension) => extension.extnID === NONCE_OID,
  );
  return {
    responseStatus,
    basic,
    statuses,
    ...(nonceExtension === undefined
      ? {}
      : { nonce: nonceExtension.extnValue.valueBlock.valueHexView.slice(2) }),
    certs: (basic.certs ?? []).map((cert) => new Uint8Array(cert.toSchema().toBER())),
  };
}

/** Whether the basic response's signature verifies with `signer`'s key (DER certificate). */
export function signatureVerifies(basic: pkijs.BasicOCSPResponse, signer: Uint8Array): boolean {
  const key = new X509Certificate(signer).publicKey;
  const tbs = basic.tbsResponseData.tbsView;
  const signature = basic.signature.valueBlock.valueHexView;
  return verify('sha256', tbs, key, signature);
}
