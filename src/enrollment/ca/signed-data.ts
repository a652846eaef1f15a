/**
 * Reading the CMS layer of a CMC request (RFC 5652): a ContentInfo holding SignedData, its
 * encapsulated content, the certificates it carries and its SignerInfos, with the strict DER
 * reader. Checking who signed is `cmc-signer.ts`. Internal.
 */

import { concatBytes } from '../../lib/bytes.js';
import { certificateFields, children, type Tlv } from '../../lib/der.js';
import { encodingOf, integerOf, oidOf } from '../../lib/der-values.js';
import { readExtensions } from '../../lib/x509-extensions.js';
import { OID } from '../oids.js';
import { itemsOf, octetsOf, parseWith, readDer, refuse } from './reading.js';

/** How a SignerInfo names its signer (RFC 5652 §5.3).
 *
 * @category Certificate authority
 */
export type SignerIdentifier =
  | { readonly kind: 'issuerAndSerial'; readonly issuer: Uint8Array; readonly serial: Uint8Array }
  | { readonly kind: 'ski'; readonly ski: Uint8Array<ArrayBuffer> };

/** One signed attribute: its type and the DER of each of its values.
 *
 * @category Certificate authority
 */
export interface SignedAttribute {
  readonly type: string;
  readonly values: readonly Uint8Array<ArrayBuffer>[];
}

/** What the CA reads from a SignerInfo.
 *
 * @category Certificate authority
 */
export interface SignerInfo {
  readonly version: number;
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: string;
  /** The signed attributes and the bytes their signature covers (re-tagged as SET OF). */
  readonly signedAttributes:
    | { readonly list: readonly SignedAttribute[]; readonly signed: Uint8Array<ArrayBuffer> }
    | undefined;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array<ArrayBuffer>;
}

/** What the CA reads from a CMS SignedData.
 *
 * @category Certificate authority
 */
export interface SignedData {
  readonly contentType: string;
  /** The encapsulated content's octets (the pieces of a constructed OCTET STRING joined). */
  readonly content: Uint8Array<ArrayBuffer> | undefined;
  /** The X.509 certificates it carries, DER (other certificate choices are passed over). */
  readonly certificates: readonly Uint8Array<ArrayBuffer>[];
  readonly signers: readonly SignerInfo[];
}

const SEQUENCE = 0x30;
const SET = 0x31;

/** Reads `ContentInfo { id-signedData, SignedData }`; refuses anything else. Verifies nothing.
 *
 * @category Certificate authority
 */
export function readSignedData(der: Uint8Array): SignedData {
  const root = readDer(der, 'The CMC request');
  const [type, explicit, ...rest] = itemsOf(der, root, SEQUENCE, 'The CMC request');
  if (
    rest.length > 0 ||
    parseWith('The CMC content type', () => oidOf(der, type)) !== OID.signedData
  ) {
    refuse('A CMC request is a CMS SignedData.');
  }
  return parseWith('The CMC SignedData', () => {
    const [signedData, ...more] = itemsOf(der, explicit, 0xa0, 'The CMC content');
    if (more.length > 0) refuse('The CMC content is one SignedData.');
    return readSignedFields(der, itemsOf(der, signedData, SEQUENCE, 'The SignedData'));
  });
}

/** `SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, [0] certificates
 * OPTIONAL, [1] crls OPTIONAL, signerInfos }` */
function readSignedFields(der: Uint8Array, fields: Tlv[]): SignedData {
  const [version, digestAlgorithms, encapsulated, ...tail] = fields;
  integerOf(der, version);
  for (const digest of itemsOf(der, digestAlgorithms, SET, 'The digest algorithms')) {
    algorithmOf(der, digest, 'A digest algorithm');
  }
  const [eContentType, eContent, ...extra] = itemsOf(der, encapsulated, SEQUENCE, 'The content');
  if (extra.length > 0) refuse('The encapsulated content has too many fields.');
  const signerInfos = tail.pop();
  const certificates = tail[0]?.tag === 0xa0 ? (tail.shift() as Tlv) : undefined;
  if (tail[0]?.tag === 0xa1) tail.shift();
  if (tail.length > 0) refuse('The SignedData has fields out of order.');
  const carried =
    certificates === undefined ? [] : itemsOf(der, certificates, 0xa0, 'Certificates');
  return {
    contentType: oidOf(der, eContentType),
    content:
      eContent === undefined
        ? undefined
        : contentOctets(der, itemsOf(der, eContent, 0xa0, 'eContent')),
    certificates: carried
      .filter((certificate) => certificate.tag === SEQUENCE)
      .map((certificate) => carriedCertificate(encodingOf(der, certificate).slice())),
    signers: itemsOf(der, signerInfos, SET, 'The SignerInfos').map((s) => readSigner(der, s)),
  };
}

/**
 * A certificate the SignedData carries, once its shape, field order and extensions list are
 * checked; its extensions but the subject key identifier are never read.
 */
function carriedCertificate(der: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const { extensions } = certificateFields(der);
  if (extensions !== undefined) {
    const [list, ...more] = children(der, extensions);
    if (list === undefined || more.length > 0) refuse('A certificate has a bad extensions field.');
    readExtensions(der, list);
  }
  return der;
}

/**
 * The eContent OCTET STRING's contents. pkijs's `EncapsulatedContentInfo` constructor writes it
 * as a constructed OCTET STRING of 64 KiB pieces (definite-length BER); the pieces are joined.
 */
function contentOctets(der: Uint8Array, [octets, ...more]: Tlv[]): Uint8Array<ArrayBuffer> {
  if (more.length > 0) refuse('The CMC content is one OCTET STRING.');
  if (octets?.tag !== 0x24) return octetsOf(der, octets, 'The CMC content');
  return concatBytes(
    ...itemsOf(der, octets, 0x24, 'The CMC content').map((piece) => contentOctets(der, [piece])),
  );
}

/** `SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs OPTIONAL,
 * signatureAlgorithm, signature, [1] unsignedAttrs OPTIONAL }` */
function readSigner(der: Uint8Array, signerInfo: Tlv): SignerInfo {
  const fields = itemsOf(der, signerInfo, SEQUENCE, 'A SignerInfo');
  if (fields[fields.length - 1]?.tag === 0xa1) fields.pop();
  const [version, sid, digestAlgorithm, ...tail] = fields;
  const attributes = tail[0]?.tag === 0xa0 ? (tail.shift() as Tlv) : undefined;
  const [signatureAlgorithm, signature, ...extra] = tail;
  if (extra.length > 0 || signature === undefined) refuse('A SignerInfo has the wrong shape.');
  return {
    version: Number(integerOf(der, version)),
    sid: signerIdentifier(der, sid),
    digestAlgorithm: algorithmOf(der, digestAlgorithm, 'The digest algorithm'),
    signedAttributes: attributes === undefined ? undefined : signedAttributes(der, attributes),
    signatureAlgorithm: algorithmOf(der, signatureAlgorithm, 'The signature algorithm'),
    signature: octetsOf(der, signature, 'The signature'),
  };
}

function signerIdentifier(der: Uint8Array, sid: Tlv | undefined): SignerIdentifier {
  if (sid?.tag === 0x80) return { kind: 'ski', ski: der.slice(sid.valueStart, sid.end) };
  if (sid?.tag !== SEQUENCE) {
    refuse('The CMC signer is identified neither by issuer and serial nor by key identifier.');
  }
  const [issuer, serial, ...rest] = itemsOf(der, sid, SEQUENCE, 'The issuer and serial');
  if (rest.length > 0 || issuer?.tag !== SEQUENCE || serial?.tag !== 0x02) {
    refuse('The issuer and serial number of the CMC signer are malformed.');
  }
  return {
    kind: 'issuerAndSerial',
    issuer: encodingOf(der, issuer),
    serial: encodingOf(der, serial),
  };
}

function algorithmOf(der: Uint8Array, algorithm: Tlv | undefined, what: string): string {
  const [id, , ...rest] = itemsOf(der, algorithm, SEQUENCE, what);
  if (rest.length > 0) refuse(`${what} has too many fields.`);
  return oidOf(der, id);
}

function signedAttributes(
  der: Uint8Array,
  attributes: Tlv,
): NonNullable<SignerInfo['signedAttributes']> {
  const list = itemsOf(der, attributes, 0xa0, 'The signed attributes').map((attribute) => {
    const [type, values, ...rest] = itemsOf(der, attribute, SEQUENCE, 'A signed attribute');
    if (rest.length > 0) refuse('A signed attribute has too many fields.');
    return {
      type: oidOf(der, type),
      values: itemsOf(der, values, SET, 'The values of a signed attribute').map((value) =>
        encodingOf(der, value).slice(),
      ),
    };
  });
  // What was signed is the attributes' own encoding, tagged as the SET OF they are (§5.4).
  const signed = encodingOf(der, attributes).slice();
  signed[0] = SET;
  return { list, signed };
}
