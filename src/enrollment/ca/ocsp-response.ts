/**
 * Writing an OCSPResponse (RFC 6960 §4.2) with lib's DER writer: a basic response signed by the
 * CA's key or its delegated responder, or a bare error status. Internal.
 */
import { utf8 } from '../../lib/bytes.js';
import {
  type Der,
  element,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  tlv,
} from '../../lib/der-write.js';
import * as OCSP from '../../lib/ocsp-oids.js';
import { REASON_CODES, type RevocationReason } from './crl.js';
import { signatureFields } from './signed-der.js';

/**
 * OCSPResponseStatus values other than successful (RFC 6960 §4.2.1).
 *
 * @category Certificate authority
 */
export const OCSP_ERROR_STATUS = {
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;

/** The status of one certificate, as a SingleResponse gives it.
 *
 * @category Certificate authority
 */
export type CertificateStatus =
  | { readonly status: 'good' }
  | { readonly status: 'unknown' }
  | { readonly status: 'revoked'; readonly date: number; readonly reason: RevocationReason };

/** The answer about one CertID. */
export interface SingleAnswer {
  /** The request's CertID, DER, echoed as sent. */
  readonly certId: Uint8Array;
  readonly status: CertificateStatus;
}

/** Who signs a response: a key, the SHA-1 of its public key bits, and certificates to carry. */
export interface ResponseSigner {
  readonly privateKey: CryptoKey;
  /** SHA-1 of the signer's subjectPublicKey bits: the responderID byKey (its key identifier). */
  readonly keyHash: Uint8Array;
  /** Certificates put in the response's `certs` (a delegated responder's own). */
  readonly certificates: readonly Uint8Array[];
}

/** What a basic response says. */
export interface ResponseContent {
  readonly answers: readonly SingleAnswer[];
  readonly now: number;
  readonly nextUpdate: number;
  /** The request's nonce extension, DER, echoed in the response extensions. */
  readonly nonce: Uint8Array | undefined;
}

/** An OCSPResponse that is only an error status: no responseBytes. */
export function errorResponse(status: number): Der {
  return sequence(tlv(0x0a, new Uint8Array([status])));
}

/**
 * A successful OCSPResponse: ResponseData (v1, responderID byKey, producedAt, one
 * SingleResponse per CertID with thisUpdate now and nextUpdate, the nonce echoed) signed with
 * SHA-256, the signer's certificates in `certs`.
 */
export async function signedResponse(
  content: ResponseContent,
  signer: ResponseSigner,
  crypto: Crypto,
): Promise<Der> {
  const tbs = sequence(
    explicit(2, octetString(signer.keyHash)),
    generalizedTime(content.now),
    element(
      0x30,
      content.answers.map((answer) => singleResponse(answer, content)),
    ),
    ...(content.nonce === undefined ? [] : [explicit(1, sequence(content.nonce))]),
  );
  const basic = sequence(
    tbs,
    ...(await signatureFields(tbs, signer.privateKey, crypto)),
    ...(signer.certificates.length === 0 ? [] : [explicit(0, element(0x30, signer.certificates))]),
  );
  return sequence(
    tlv(0x0a, new Uint8Array([0])),
    explicit(0, sequence(oid(OCSP.basicResponse), octetString(basic))),
  );
}

function singleResponse(answer: SingleAnswer, content: ResponseContent): Der {
  return sequence(
    answer.certId,
    certStatus(answer.status),
    generalizedTime(content.now),
    explicit(0, generalizedTime(content.nextUpdate)),
  );
}

/** CertStatus: good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] NULL. */
function certStatus(status: CertificateStatus): Der {
  if (status.status === 'good') return implicitPrimitive(0, new Uint8Array(0));
  if (status.status === 'unknown') return implicitPrimitive(2, new Uint8Array(0));
  const code = REASON_CODES[status.reason];
  // RFC 5280 leaves the reason out for unspecified; RevokedInfo's reason is optional too.
  const reason = code === 0 ? [] : [explicit(0, tlv(0x0a, new Uint8Array([code])))];
  return tlv(0xa1, generalizedTime(status.date), ...reason);
}

/** A GeneralizedTime to the second, `YYYYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.2). */
function generalizedTime(ms: number): Der {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return tlv(0x18, utf8(`${iso.slice(0, 19).replace(/[-:T]/g, '')}Z`));
}
