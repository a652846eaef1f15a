/**
 * The CA's OCSP responder (RFC 6960): a function from OCSPRequest bytes to OCSPResponse bytes.
 * It answers about the certificates of every key of the issuing CA, signed by the key the
 * request names (or a delegated responder that key certified). Internal, except for the option
 * and function types.
 */
import { InvalidInputError } from '../../errors.js';
import { certificateFields } from '../../lib/der.js';
import { sameBytes } from '../../lib/der-values.js';
import type { AuthorityKeys } from './authority-keys.js';
import { createOcspDelegate } from './delegated-keys.js';
import type { Ledger } from './ledger.js';
import { MAX_CERT_IDS, type RequestedCertId, readOcspRequest } from './ocsp-request.js';
import {
  type CertificateStatus,
  errorResponse,
  OCSP_ERROR_STATUS,
  type ResponseSigner,
  type SingleAnswer,
  signedResponse,
} from './ocsp-response.js';
import type { Settings } from './options.js';
import { subjectPublicKeyBits } from './public-key.js';
import type { SigningCa } from './signing-key.js';

/**
 * Options of `CertificateAuthority.ocspResponder`.
 *
 * @example
 * ```ts
 * import type { CertificateAuthority, OcspResponderOptions } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * declare const request: Uint8Array; // an OCSPRequest, DER, as a relying party sends it
 * const options: OcspResponderOptions = { responder: 'delegated', validityHours: 4 };
 * const respond = ca.ocspResponder(options);
 * const response = await respond(request); // an OCSPResponse, DER
 * console.log(response.length);
 * ```
 *
 * @category Certificate authority
 */
export interface OcspResponderOptions {
  /**
   * Who signs the responses: `'issuer'` (the default), the key of the issuing CA that the
   * request's CertID names; or `'delegated'`, a responder certificate that key issues to the CA
   * itself (id-kp-OCSPSigning, id-pkix-ocsp-nocheck, valid a week or twice `validityHours`, made
   * again before it runs out), carried in the response.
   */
  readonly responder?: 'issuer' | 'delegated';
  /** Hours from thisUpdate to nextUpdate; by default the CRLs' (`crlValidityDays` × 24). */
  readonly validityHours?: number;
}

/**
 * An OCSP responder: OCSPRequest DER in, OCSPResponse DER out. It never throws: a malformed
 * request is answered `malformedRequest`, a failure to sign `internalError`.
 *
 * @example
 * ```ts
 * import type { CertificateAuthority, OcspResponder } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * const respond: OcspResponder = ca.ocspResponder();
 * const answer = await respond(new Uint8Array([0x30, 0x00])); // not a request
 * console.log(answer); // Uint8Array [0x30, 0x03, 0x0a, 0x01, 0x01]: malformedRequest
 * ```
 *
 * @category Certificate authority
 */
export type OcspResponder = (request: Uint8Array) => Promise<Uint8Array>;

/** What the responder reads: the CA's keys, its ledger and settings. */
export interface ResponderContext {
  readonly crypto: Crypto;
  readonly keys: AuthorityKeys;
  readonly ledger: Ledger;
  readonly settings: Settings;
}

/** The largest request read, in bytes: a request about {@link MAX_CERT_IDS} certificates fits. */
export const MAX_OCSP_REQUEST_BYTES = 16_384;
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** Makes the responder; options of the wrong type throw `InvalidInputError` here. */
export function createOcspResponder(
  context: ResponderContext,
  options: OcspResponderOptions = {},
): OcspResponder {
  const { responder, validityMs } = checkOptions(options, context.settings);
  const hashes = new IssuerHashes(context.crypto);
  const delegates = new Map<SigningCa, SigningCa>();
  const delegateOf = async (issuer: SigningCa, now: number): Promise<SigningCa> => {
    const known = delegates.get(issuer);
    if (known !== undefined && known.notAfter - now > validityMs) return known;
    const made = await createOcspDelegate({
      crypto: context.crypto,
      keyAlgorithm: context.settings.keyAlgorithm,
      issuer,
      commonName: 'OCSP Responder',
      now,
      validityMs: Math.max(WEEK_MS, 2 * validityMs),
    });
    delegates.set(issuer, made);
    return made;
  };
  return async (request) => {
    let asked: ReturnType<typeof readOcspRequest>;
    try {
      if (!(request instanceof Uint8Array) || request.length > MAX_OCSP_REQUEST_BYTES) {
        return errorResponse(OCSP_ERROR_STATUS.malformedRequest);
      }
      asked = readOcspRequest(request);
    } catch {
      return errorResponse(OCSP_ERROR_STATUS.malformedRequest);
    }
    try {
      const now = context.settings.clock.now();
      const answers: SingleAnswer[] = [];
      let signedBy: SigningCa | undefined;
      for (const certId of asked.certIds) {
        const issuer = await hashes.issuerNamed(certId, context.keys.issuing);
        signedBy ??= issuer?.key;
        answers.push({ certId: certId.encoding, status: statusOf(certId, issuer, context.ledger) });
      }
      const issuer = signedBy ?? context.keys.current;
      const signer = responder === 'delegated' ? await delegateOf(issuer, now) : issuer;
      const responseSigner: ResponseSigner = {
        privateKey: signer.privateKey,
        keyHash: signer.keyIdentifier,
        // A delegate's path: its certificate, and the issuer's for relying parties without it.
        certificates: signer === issuer ? [] : [signer.certificate, issuer.certificate],
      };
      const content = { answers, now, nextUpdate: now + validityMs, nonce: asked.nonce };
      return await signedResponse(content, responseSigner, context.crypto);
    } catch {
      return errorResponse(OCSP_ERROR_STATUS.internalError);
    }
  };
}

/** good, revoked (with date and reason; a hold too) or unknown (another issuer, never issued). */
function statusOf(
  certId: RequestedCertId,
  issuer: { readonly index: number } | undefined,
  ledger: Ledger,
): CertificateStatus {
  const record = issuer === undefined ? undefined : ledger.certificateBySerial(certId.serialNumber);
  if (record === undefined || record.keyIndex !== issuer?.index) return { status: 'unknown' };
  const { revocation } = record;
  if (revocation === undefined) return { status: 'good' };
  return { status: 'revoked', date: revocation.date, reason: revocation.reason };
}

/** The issuer name and key hashes of each key of the CA, by hash algorithm, computed once. */
class IssuerHashes {
  readonly #crypto: Crypto;
  readonly #known = new Map<string, { readonly name: Uint8Array; readonly key: Uint8Array }>();

  constructor(crypto: Crypto) {
    this.#crypto = crypto;
  }

  /** The key of the CA that `certId` names, with its index; `undefined` for another issuer. */
  async issuerNamed(
    certId: RequestedCertId,
    keys: readonly SigningCa[],
  ): Promise<{ readonly key: SigningCa; readonly index: number } | undefined> {
    const { hash } = certId;
    if (hash === undefined) return undefined;
    for (const [index, key] of keys.entries()) {
      const id = `${hash} ${index}`;
      let hashes = this.#known.get(id);
      if (hashes === undefined) {
        const fields = certificateFields(key.certificate);
        const { subject, subjectPublicKeyInfo: spki } = fields;
        const digest = async (bytes: Uint8Array) =>
          new Uint8Array(await this.#crypto.subtle.digest(hash, bytes.slice()));
        hashes = {
          name: await digest(key.certificate.subarray(subject.start, subject.end)),
          key: await digest(subjectPublicKeyBits(key.certificate.subarray(spki.start, spki.end))),
        };
        this.#known.set(id, hashes);
      }
      if (
        sameBytes(hashes.name, certId.issuerNameHash) &&
        sameBytes(hashes.key, certId.issuerKeyHash)
      ) {
        return { key, index };
      }
    }
    return undefined;
  }
}

function checkOptions(
  options: unknown,
  settings: Settings,
): { readonly responder: 'issuer' | 'delegated'; readonly validityMs: number } {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('ocspResponder() options must be an object.');
  }
  const { responder = 'issuer', validityHours = settings.crlValidityDays * 24 } = options as Record<
    string,
    unknown
  >;
  if (responder !== 'issuer' && responder !== 'delegated') {
    throw new InvalidInputError("ocspResponder(): responder is 'issuer' or 'delegated'.");
  }
  if (typeof validityHours !== 'number' || !(validityHours > 0) || validityHours > 24 * 366) {
    throw new InvalidInputError(
      'ocspResponder(): validityHours is a number of hours up to a year.',
    );
  }
  return { responder, validityMs: validityHours * HOUR_MS };
}
