/**
 * Reading a PKCS#10 certificate request (RFC 2986) as AD CS does: the key, the signature, and
 * what names the template (the v1 template-name extension, the v2 template extension, the
 * `CertificateTemplate` name-value pair) and the key spec. Internal.
 */
import * as asn1js from 'asn1js';
import { OID } from '../oids.js';
import {
  encodingOf,
  octetsOf,
  oidOf,
  parseDer,
  refuse,
  sequenceItems,
  setItems,
  smallIntegerOf,
  taggedItems,
  textOf,
} from './asn1.js';

/** What the CA reads from a PKCS#10 request.
 *
 * @category Certificate authority
 */
export interface ParsedPkcs10 {
  /** The certificationRequestInfo, exactly as signed. */
  readonly info: Uint8Array<ArrayBuffer>;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array<ArrayBuffer>;
  /** The SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array<ArrayBuffer>;
  /** Template names from the v1 extension and the name-value pairs. */
  readonly templateNames: readonly string[];
  /** Template OIDs from the v2 extension. */
  readonly templateOids: readonly string[];
  /** The CSP attribute's key spec (1 exchange, 2 signature), when the request has one. */
  readonly keySpec: number | undefined;
  /** A subject key identifier the request asks for, when it does. */
  readonly subjectKeyIdentifier: Uint8Array<ArrayBuffer> | undefined;
}

interface Collected {
  templateNames: string[];
  templateOids: string[];
  keySpec: number | undefined;
  subjectKeyIdentifier: Uint8Array<ArrayBuffer> | undefined;
}

/** Parses a DER PKCS#10 request; refuses anything malformed. Verifies nothing.
 *
 * @category Certificate authority
 */
export function parsePkcs10(der: Uint8Array): ParsedPkcs10 {
  const root = parseDer(der, 'The certificate request');
  const [info, algorithm, signature, ...rest] = sequenceItems(root, 'The certificate request');
  if (rest.length > 0 || info === undefined || algorithm === undefined) {
    refuse('A certificate request has three parts: info, algorithm, signature.');
  }
  if (!(signature instanceof asn1js.BitString) || signature.valueBlock.unusedBits !== 0) {
    refuse('The request signature is not a whole-byte BIT STRING.');
  }
  const [version, subject, spki, attributes, ...more] = sequenceItems(info, 'The request info');
  if (more.length > 0 || spki === undefined || attributes === undefined) {
    refuse('The request info has the wrong number of fields.');
  }
  if (smallIntegerOf(version, 'The request version') !== 0) refuse('Only v1 requests exist.');
  sequenceItems(subject, 'The request subject');
  sequenceItems(spki, 'The request public key');
  const collected: Collected = {
    templateNames: [],
    templateOids: [],
    keySpec: undefined,
    subjectKeyIdentifier: undefined,
  };
  for (const attribute of taggedItems(attributes, 0, 'The request attribute set')) {
    readAttribute(attribute, collected);
  }
  const [algorithmId] = sequenceItems(algorithm, 'The signature algorithm');
  return {
    info: encodingOf(info),
    signatureAlgorithm: oidOf(algorithmId, 'The signature algorithm'),
    signature: new Uint8Array(signature.valueBlock.valueHexView),
    spki: encodingOf(spki),
    ...collected,
  };
}

function readAttribute(attribute: asn1js.AsnType, out: Collected): void {
  const [type, values, ...rest] = sequenceItems(attribute, 'A request attribute');
  if (rest.length > 0) refuse('A request attribute has too many fields.');
  const oid = oidOf(type, 'A request attribute type');
  const items = setItems(values, `The value set of attribute ${oid}`);
  if (oid === OID.extensionRequest) {
    for (const extensions of items) {
      for (const extension of sequenceItems(extensions, 'The extension request')) {
        readExtension(extension, out);
      }
    }
  } else if (oid === OID.enrollmentNameValuePair) {
    for (const value of items) readNameValuePairs(value, out);
  } else if (oid === OID.enrollmentCspProvider) {
    const [keySpec] = sequenceItems(items[0], 'The CSP attribute');
    out.keySpec = smallIntegerOf(keySpec, 'The CSP key spec');
  }
}

function readExtension(extension: asn1js.AsnType, out: Collected): void {
  const fields = sequenceItems(extension, 'A requested extension');
  if (fields.length < 2 || fields.length > 3) refuse('A requested extension has the wrong shape.');
  const oid = oidOf(fields[0], 'A requested extension id');
  const value = octetsOf(fields[fields.length - 1], `The value of extension ${oid}`);
  if (oid === OID.certificateTemplateName) {
    const name = textOf(parseDer(value, 'The template name extension'));
    if (name === undefined) refuse('The template name is neither a BMPString nor a UTF8String.');
    out.templateNames.push(name);
  } else if (oid === OID.certificateTemplate) {
    const [templateId] = sequenceItems(parseDer(value, 'The template extension'), 'It');
    out.templateOids.push(oidOf(templateId, 'The template id'));
  } else if (oid === OID.subjectKeyIdentifier) {
    out.subjectKeyIdentifier = octetsOf(parseDer(value, 'The SKI extension'), 'The SKI');
  }
}

/**
 * One value of the name-value pair attribute: a `SEQUENCE { name, value }` (what Windows sends),
 * or a `SEQUENCE OF` such pairs; both are accepted. Only `CertificateTemplate` is read.
 */
function readNameValuePairs(value: asn1js.AsnType, out: Collected): void {
  const items = sequenceItems(value, 'A name-value pair');
  const pairs = textOf(items[0]) === undefined ? items : [value];
  for (const pair of pairs) {
    const [name, text, ...rest] = sequenceItems(pair, 'A name-value pair');
    const key = textOf(name);
    const content = textOf(text);
    if (rest.length > 0 || key === undefined || content === undefined) {
      refuse('A name-value pair is not two BMPStrings.');
    }
    if (key.toLowerCase() === 'certificatetemplate') out.templateNames.push(content);
  }
}
