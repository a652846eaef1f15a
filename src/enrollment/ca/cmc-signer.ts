/**
 * Checking who signed a CMC request: the request's own key (self-signed, the signer named by
 * its subject key identifier) or a certificate the SignedData carries (an enrollment agent).
 * The signature is verified here; whether the agent's certificate is acceptable is the CA's
 * call. Internal.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { HashName } from '../../card/contract/smart-card.js';
import { OID } from '../oids.js';
import { octetsOf, oidOf, parseDer, parseWith, refuse, sameBytes } from './asn1.js';
import type { ParsedCmc } from './cmc.js';
import { keyIdentifier, publicKeyFacts } from './public-key.js';
import { digestAlgorithm, signatureScheme, verifySignature } from './signature.js';

const CONTENT_TYPE = '1.2.840.113549.1.9.3';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

/** Who signed a CMC request.
 *
 * @category Certificate authority
 */
export type CmcSigner =
  | { readonly kind: 'self' }
  | { readonly kind: 'agent'; readonly certificate: Uint8Array<ArrayBuffer> };

/** The key of the request inside the CMC, and the key identifiers it may be known by.
 *
 * @category Certificate authority
 */
export interface RequestKey {
  readonly spki: Uint8Array<ArrayBuffer>;
  readonly identifiers: readonly Uint8Array[];
}

/**
 * Verifies the one SignerInfo of a CMC request and says who made it. Refuses an unsigned request
 * (AD CS: CRYPT_E_NO_SIGNER), several signers, unknown algorithms, signed attributes that do not
 * match the content, a signer that is neither the request's key nor a carried certificate, and
 * a signature that does not verify.
 *
 * @category Certificate authority
 */
export async function verifyCmcSigner(
  crypto: Crypto,
  cmc: ParsedCmc,
  request: RequestKey,
): Promise<CmcSigner> {
  const [signer, ...others] = cmc.signers;
  if (signer === undefined) refuse('The CMC request is not signed (CRYPT_E_NO_SIGNER).');
  if (others.length > 0) refuse('A CMC request is signed once, by one signer.');
  const hash = digestAlgorithm(signer.digestAlgorithm.algorithmId);
  const scheme = signatureScheme(signer.signatureAlgorithm.algorithmId, hash);
  const data = await signedBytes(crypto, signer, cmc.content, hash);
  const identified = await identify(crypto, signer, cmc.certificates, request);
  const bySki = !(signer.sid instanceof pkijs.IssuerAndSerialNumber);
  if (signer.version !== (bySki ? 3 : 1)) {
    refuse('The SignerInfo version does not match how it names its signer (RFC 5652 §5.3).');
  }
  if (identified.certificate !== undefined && hash === 'SHA-1') {
    // The enrollee chooses much of what the agent signs: a SHA-1 collision could change it.
    refuse("An enrollment agent's signature must use SHA-256 or stronger, not SHA-1.");
  }
  const facts = publicKeyFacts(identified.spki);
  const signature = new Uint8Array(signer.signature.valueBlock.valueHexView);
  if (!(await verifySignature(crypto, identified.spki, facts, scheme, data, signature))) {
    refuse('The CMC signature does not verify.');
  }
  return identified.certificate === undefined
    ? { kind: 'self' }
    : { kind: 'agent', certificate: identified.certificate };
}

/** The signed attributes: what was signed; they must bind the content. */
async function signedBytes(
  crypto: Crypto,
  signer: pkijs.SignerInfo,
  content: Uint8Array<ArrayBuffer>,
  hash: HashName,
): Promise<Uint8Array<ArrayBuffer>> {
  const attributes = signer.signedAttrs;
  // RFC 5652 §5.3: content other than id-data is signed through signed attributes.
  if (attributes === undefined) refuse('A CMC signer must sign through signed attributes.');
  const value = (type: string): unknown => {
    const [only, ...more] = attributes.attributes.filter((a) => a.type === type);
    // pkijs leaves `values` undefined for an empty SET of values.
    const values: unknown[] = Array.isArray(only?.values) ? only.values : [];
    if (only === undefined || more.length > 0 || values.length !== 1) {
      refuse(`The CMC signer needs exactly one ${type} attribute with one value.`);
    }
    return values[0];
  };
  if (oidOf(value(CONTENT_TYPE), 'The signed content type') !== OID.pkiData) {
    refuse('The signed content type is not PKIData.');
  }
  const digest = new Uint8Array(await crypto.subtle.digest(hash, content));
  if (!sameBytes(octetsOf(value(MESSAGE_DIGEST), 'The message digest'), digest)) {
    refuse('The signed message digest does not match the content.');
  }
  // pkijs keeps the attributes' original encoding, re-tagged as the SET OF that was signed.
  return new Uint8Array(attributes.encodedValue);
}

interface Identified {
  readonly spki: Uint8Array<ArrayBuffer>;
  /** The signer's certificate (DER), or `undefined` when the request's own key signed. */
  readonly certificate: Uint8Array<ArrayBuffer> | undefined;
}

async function identify(
  crypto: Crypto,
  signer: pkijs.SignerInfo,
  certificates: readonly pkijs.Certificate[],
  request: RequestKey,
): Promise<Identified> {
  const sid = signer.sid as unknown;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const found = certificates.find(
      (c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber),
    );
    if (found === undefined) refuse("The CMC signer's certificate is not in the request.");
    return carried(found);
  }
  const ski = subjectKeyIdentifierOf(sid);
  if (request.identifiers.some((id) => sameBytes(id, ski))) {
    return { spki: request.spki, certificate: undefined };
  }
  for (const certificate of certificates) {
    const { spki } = carried(certificate);
    const ids = [await keyIdentifier(crypto, spki), certificateSki(certificate)];
    if (ids.some((id) => id !== undefined && sameBytes(id, ski))) return carried(certificate);
  }
  return refuse(
    "The CMC signer's key identifier matches neither the request's key nor a certificate " +
      'the request carries.',
  );
}

function subjectKeyIdentifierOf(sid: unknown): Uint8Array<ArrayBuffer> {
  if (
    !(sid instanceof asn1js.BaseBlock) ||
    sid.idBlock.tagClass !== 3 ||
    sid.idBlock.tagNumber !== 0 ||
    sid.idBlock.isConstructed
  ) {
    refuse('The CMC signer is identified neither by issuer and serial nor by key identifier.');
  }
  return new Uint8Array((sid.valueBlock as unknown as { valueHexView: Uint8Array }).valueHexView);
}

function carried(certificate: pkijs.Certificate): Identified {
  return parseWith('A certificate in the CMC request', () => ({
    spki: new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER()),
    certificate: new Uint8Array(certificate.toSchema().toBER()),
  }));
}

function certificateSki(certificate: pkijs.Certificate): Uint8Array | undefined {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  if (extension === undefined) return undefined;
  const value = new Uint8Array(extension.extnValue.valueBlock.valueHexView);
  return octetsOf(parseDer(value, 'A certificate SKI'), 'A certificate SKI');
}
