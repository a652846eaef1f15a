/**
 * A CMC Full PKI Request (RFC 5272): CMS SignedData whose content is PKIData holding exactly one
 * TaggedCertificationRequest, signed by a card key. Internal.
 */
import type { HashName, KeyAlgorithmName, SmartCard } from '../../card/contract/smart-card.js';
import { utf8 } from '../../lib/bytes.js';
import { children, readSingle } from '../../lib/der.js';
import {
  type Der,
  explicit,
  implicitConstructed,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  sequence,
  setOf,
} from '../../lib/der-write.js';
import {
  digestAlgorithm,
  encodeSignature,
  keyIdentifier,
  signatureAlgorithm,
} from '../algorithms.js';
import { attribute } from '../ms-attributes.js';
import { OID } from '../oids.js';

const CONTENT_TYPE = '1.2.840.113549.1.9.3';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const REQUEST_BODY_PART = 1;

/** Who signs the SignedData: the request's own key, or an enrollment agent's.
 *
 * @category Enrollment
 */
export type CmcSigner =
  | {
      readonly kind: 'self';
      readonly card: SmartCard;
      readonly container: string;
      readonly algorithm: KeyAlgorithmName;
      readonly spki: Uint8Array;
    }
  | {
      readonly kind: 'agent';
      readonly card: SmartCard;
      readonly container: string;
      readonly algorithm: KeyAlgorithmName;
      /** The agent's certificate (Certificate Request Agent), DER. */
      readonly certificate: Uint8Array;
      /** The account the certificate is for, `DOMAIN\user`: sent as regInfo requestername. */
      readonly requester: string;
    };

/** PKIData around one PKCS#10 request, with a regInfo control when an agent asks for a user.
 *
 * @category Enrollment
 */
export function pkiData(pkcs10: Uint8Array, requester: string | undefined): Der {
  const controls: Der[] = [];
  if (requester !== undefined) {
    const value = `requestername=${encodeURIComponent(requester)}`;
    controls.push(
      sequence(integer(REQUEST_BODY_PART + 1), oid(OID.regInfo), setOf(octetString(utf8(value)))),
    );
  }
  const tagged = implicitConstructed(
    0,
    sequence(integer(REQUEST_BODY_PART), new Uint8Array(pkcs10)),
  );
  return sequence(sequence(...controls), sequence(tagged), sequence(), sequence());
}

/** CMS ContentInfo { signedData } over `content` (PKIData), signed on the signer's card.
 *
 * @category Enrollment
 */
export async function signCmc(
  crypto: Crypto,
  content: Der,
  signer: CmcSigner,
  hash: HashName,
): Promise<Der> {
  const digest = new Uint8Array(await crypto.subtle.digest(hash, content));
  const signedAttrs = setOf(
    attribute(CONTENT_TYPE, oid(OID.pkiData)),
    attribute(MESSAGE_DIGEST, octetString(digest)),
  );
  const signature = await signer.card.sign(signer.container, signedAttrs, { hash });
  const sid =
    signer.kind === 'self'
      ? implicitPrimitive(0, await keyIdentifier(crypto, signer.spki))
      : issuerAndSerialNumber(signer.certificate);
  const signerInfo = sequence(
    integer(signer.kind === 'self' ? 3 : 1),
    sid,
    digestAlgorithm(hash),
    implicitConstructed(0, signedAttrs),
    signatureAlgorithm(signer.algorithm, hash),
    octetString(encodeSignature(signer.algorithm, signature)),
  );
  const certificates =
    signer.kind === 'agent'
      ? [implicitConstructed(0, setOf(new Uint8Array(signer.certificate)))]
      : [];
  const signedData = sequence(
    integer(3),
    setOf(digestAlgorithm(hash)),
    sequence(oid(OID.pkiData), explicit(0, octetString(content))),
    ...certificates,
    setOf(signerInfo),
  );
  return sequence(oid(OID.signedData), explicit(0, signedData));
}

/** `IssuerAndSerialNumber` of a DER certificate: its issuer Name and serial, as they are. */
function issuerAndSerialNumber(certificate: Uint8Array): Der {
  const cert = readSingle(certificate);
  const [tbs] = children(certificate, cert);
  if (tbs === undefined) throw new Error('not a certificate');
  const fields = children(certificate, tbs);
  const skip = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serial = fields[skip];
  const issuer = fields[skip + 2];
  if (serial === undefined || issuer === undefined) throw new Error('not a certificate');
  return sequence(
    certificate.slice(issuer.start, issuer.end),
    certificate.slice(serial.start, serial.end),
  );
}
