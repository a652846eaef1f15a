/**
 * Who may sign an OCSP response about a certificate (RFC 6960 §4.2.2.2): the certificate's
 * issuer itself, or a delegated responder, a certificate in the response issued directly by that
 * issuer for id-kp-OCSPSigning. Signatures go through the validation's SignatureChecker, so they
 * count toward its work bound. Internal.
 */
import * as OCSP from '../../../lib/ocsp-oids.js';
import { sameBytes } from '../asn1.js';
import { type PathCertificate, parseCertificate } from '../certificate.js';
import { checkAny, type Problem } from '../checks.js';
import { type KeyFacts, keyFacts, type SignatureChecker } from '../signature.js';
import { digest, subjectKeyBits } from './request.js';
import type { BasicResponse, ResponderId } from './response.js';

/** What checking a signer needs from the validation. */
export interface SignerContext {
  readonly crypto: Crypto;
  readonly checker: SignatureChecker;
  /** The validation time, ms. */
  readonly time: number;
  /** The revocation check of a delegated responder without id-pkix-ocsp-nocheck. */
  readonly responderRevocation: (
    responder: PathCertificate,
    issuer: PathCertificate,
    issuerKey: KeyFacts,
  ) => Promise<Problem | undefined>;
}

/** Whether `id` names the holder of `cert`: its subject, or the SHA-1 of its key. */
async function names(id: ResponderId, cert: PathCertificate, crypto: Crypto): Promise<boolean> {
  if ('nameKey' in id) return id.nameKey === cert.subjectKey;
  return sameBytes(id.byKey, await digest(crypto, 'SHA-1', subjectKeyBits(cert.spki)));
}

/** Why a signature check failed, in words, or `undefined` when it verified. */
function signatureProblem(verified: boolean | string, whose: string): string | undefined {
  if (verified === true) return undefined;
  return verified === false
    ? `its signature does not verify under ${whose} key`
    : `${whose} signature uses ${verified}`;
}

/**
 * Checks that `basic` was signed by `issuer` (whose key is `issuerKey`) or by a responder it
 * delegated to. Returns why not, or `undefined` when the signer is acceptable.
 */
export async function checkResponseSigner(
  basic: BasicResponse,
  issuer: PathCertificate,
  issuerKey: KeyFacts,
  context: SignerContext,
): Promise<string | undefined> {
  const { checker } = context;
  if (await names(basic.responderId, issuer, context.crypto)) {
    const verified = await checker.verify(
      issuer.spki,
      issuerKey,
      basic.algorithm,
      basic.tbs,
      basic.signature,
    );
    return signatureProblem(verified, 'the issuer’s');
  }
  let problem: string | undefined;
  for (const der of basic.certs) {
    const responder = parseCertificate(der);
    if (typeof responder === 'string') continue;
    if (!(await names(basic.responderId, responder, context.crypto))) continue;
    problem = await checkDelegate(basic, responder, issuer, issuerKey, context);
    if (problem === undefined) return undefined;
  }
  return (
    problem ?? 'neither the certificate’s issuer nor a certificate in the response is its responder'
  );
}

/** The checks of a delegated responder's certificate, then of the response's signature. */
async function checkDelegate(
  basic: BasicResponse,
  responder: PathCertificate,
  issuer: PathCertificate,
  issuerKey: KeyFacts,
  context: SignerContext,
): Promise<string | undefined> {
  const { checker } = context;
  if (responder.issuerKey !== issuer.subjectKey) {
    return 'its responder’s certificate is not issued by the certificate’s issuer';
  }
  const issued = await checker.verify(
    issuer.spki,
    issuerKey,
    responder.algorithm,
    responder.tbs,
    responder.signature,
  );
  const notIssued = signatureProblem(issued, 'the issuer’s');
  if (notIssued !== undefined) return `its responder’s certificate: ${notIssued}`;
  if (!(responder.eku ?? []).includes(OCSP.signingKeyPurpose)) {
    return 'its responder’s certificate lacks the OCSPSigning extended key usage';
  }
  if (responder.keyUsage !== undefined && !responder.keyUsage.has('digitalSignature')) {
    return 'its responder’s certificate does not allow digitalSignature';
  }
  const flaw = checkAny(responder, 'responder’s certificate', context.time);
  if (flaw !== undefined) return `its ${clause(flaw.detail).replace(/^the /, '')}`;
  const key = keyFacts(responder.spki);
  if (typeof key === 'string') return `its responder’s certificate has ${key}`;
  const verified = await checker.verify(
    responder.spki,
    key,
    basic.algorithm,
    basic.tbs,
    basic.signature,
  );
  const unsigned = signatureProblem(verified, 'its responder’s');
  if (unsigned !== undefined) return unsigned;
  if (responder.extensions.has(OCSP.noCheck)) return undefined;
  const revocation = await context.responderRevocation(responder, issuer, issuerKey);
  if (revocation === undefined) return undefined;
  return revocation.reason === 'revoked'
    ? 'its responder’s certificate is revoked'
    : `the revocation of its responder’s certificate cannot be decided (${clause(revocation.detail)})`;
}

/** A sentence as a clause: lower case first letter, no final full stop. */
function clause(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1).replace(/\.$/, '');
}
