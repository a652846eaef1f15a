/**
 * Checking who signed a CMC request: the request's own key (self-signed, the signer named by
 * its subject key identifier) or a certificate the SignedData carries (an enrollment agent).
 * The signature is verified here; whether the agent's certificate is acceptable is the CA's
 * call. Internal.
 */
import type { HashName } from '../../card/contract/smart-card.js';
import { toHex } from '../../lib/bytes.js';
import { certificateFields, children, readSingle, type Tlv } from '../../lib/der.js';
import { encodingOf, oidOf, sameBytes } from '../../lib/der-values.js';
import { nameKey } from '../../lib/names.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { readExtensions } from '../../lib/x509-extensions.js';
import { OID } from '../oids.js';
import type { ParsedCmc } from './cmc.js';
import { keyIdentifier, publicKeyFacts } from './public-key.js';
import { octetsOf, parseWith, readDer, refuse } from './reading.js';
import { digestAlgorithm, signatureScheme, verifySignature } from './signature.js';
import type { SignerInfo } from './signed-data.js';

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
  const hash = digestAlgorithm(signer.digestAlgorithm);
  const scheme = signatureScheme(signer.signatureAlgorithm, hash);
  const data = await signedBytes(crypto, signer, cmc.content, hash);
  const identified = await identify(crypto, signer, cmc.certificates, request);
  const bySki = signer.sid.kind === 'ski';
  if (signer.version !== (bySki ? 3 : 1)) {
    refuse('The SignerInfo version does not match how it names its signer (RFC 5652 §5.3).');
  }
  if (identified.certificate !== undefined && hash === 'SHA-1') {
    // The enrollee chooses much of what the agent signs: a SHA-1 collision could change it.
    refuse("An enrollment agent's signature must use SHA-256 or stronger, not SHA-1.");
  }
  const facts = publicKeyFacts(identified.spki);
  if (!(await verifySignature(crypto, identified.spki, facts, scheme, data, signer.signature))) {
    refuse('The CMC signature does not verify.');
  }
  return identified.certificate === undefined
    ? { kind: 'self' }
    : { kind: 'agent', certificate: identified.certificate };
}

/** The signed attributes: what was signed; they must bind the content. */
async function signedBytes(
  crypto: Crypto,
  signer: SignerInfo,
  content: Uint8Array<ArrayBuffer>,
  hash: HashName,
): Promise<Uint8Array<ArrayBuffer>> {
  const attributes = signer.signedAttributes;
  // RFC 5652 §5.3: content other than id-data is signed through signed attributes.
  if (attributes === undefined) refuse('A CMC signer must sign through signed attributes.');
  /** The one value of the one attribute of `type`, its DER and the element it is. */
  const value = (type: string, what: string): { der: Uint8Array; element: Tlv } => {
    const [only, ...more] = attributes.list.filter((a) => a.type === type);
    const values = only?.values ?? [];
    if (only === undefined || more.length > 0 || values.length !== 1) {
      refuse(`The CMC signer needs exactly one ${type} attribute with one value.`);
    }
    const der = values[0] as Uint8Array;
    return { der, element: readDer(der, what) };
  };
  const contentType = value(CONTENT_TYPE, 'The signed content type');
  const signedType = parseWith('The signed content type', () =>
    oidOf(contentType.der, contentType.element),
  );
  if (signedType !== OID.pkiData) refuse('The signed content type is not PKIData.');
  const digest = new Uint8Array(await crypto.subtle.digest(hash, content));
  const signedDigest = value(MESSAGE_DIGEST, 'The message digest');
  if (!sameBytes(octetsOf(signedDigest.der, signedDigest.element, 'The message digest'), digest)) {
    refuse('The signed message digest does not match the content.');
  }
  return attributes.signed;
}

interface Identified {
  readonly spki: Uint8Array<ArrayBuffer>;
  /** The signer's certificate (DER), or `undefined` when the request's own key signed. */
  readonly certificate: Uint8Array<ArrayBuffer> | undefined;
}

async function identify(
  crypto: Crypto,
  signer: SignerInfo,
  certificates: readonly Uint8Array<ArrayBuffer>[],
  request: RequestKey,
): Promise<Identified> {
  const { sid } = signer;
  if (sid.kind === 'issuerAndSerial') {
    const issuer = comparableName(sid.issuer, readSingle(sid.issuer));
    const found = certificates.find((certificate) => {
      const fields = certificateFields(certificate);
      return (
        comparableName(certificate, fields.issuer) === issuer &&
        sameBytes(encodingOf(certificate, fields.serialNumber), sid.serial)
      );
    });
    if (found === undefined) refuse("The CMC signer's certificate is not in the request.");
    return carried(found);
  }
  if (request.identifiers.some((id) => sameBytes(id, sid.ski))) {
    return { spki: request.spki, certificate: undefined };
  }
  for (const certificate of certificates) {
    const { spki } = carried(certificate);
    const ids = [await keyIdentifier(crypto, spki), certificateSki(certificate)];
    if (ids.some((id) => id !== undefined && sameBytes(id, sid.ski))) return carried(certificate);
  }
  return refuse(
    "The CMC signer's key identifier matches neither the request's key nor a certificate " +
      'the request carries.',
  );
}

/** A certificate the SignedData carries (checked when it was read): its key and itself. */
function carried(certificate: Uint8Array<ArrayBuffer>): Identified {
  const { subjectPublicKeyInfo: spki } = certificateFields(certificate);
  return { spki: encodingOf(certificate, spki).slice(), certificate };
}

/** The subject key identifier extension of a carried certificate, when it has one. */
function certificateSki(certificate: Uint8Array<ArrayBuffer>): Uint8Array | undefined {
  return parseWith('A certificate SKI', () => {
    const { extensions } = certificateFields(certificate);
    const [list] = extensions === undefined ? [] : children(certificate, extensions);
    const value =
      list === undefined
        ? undefined
        : readExtensions(certificate, list).get(EXTENSION.subjectKeyIdentifier)?.value;
    if (value === undefined) return undefined;
    return octetsOf(value, readDer(value, 'A certificate SKI'), 'A certificate SKI');
  });
}

/**
 * A name as RFC 5280 §7.1 compares it (case, spaces, PrintableString or UTF8String do not
 * matter), or its bytes when a string in it is not valid for its type, so a signer that wrote
 * the issuer's name another way is still found.
 */
function comparableName(bytes: Uint8Array, name: Tlv): string {
  try {
    return nameKey(bytes, name);
  } catch {
    return `bytes:${toHex(encodingOf(bytes, name))}`;
  }
}
