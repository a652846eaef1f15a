/**
 * Reading a PKCS#10 certificate request (RFC 2986) as AD CS does: the key, the signature, and
 * what names the template (the v1 template-name extension, the v2 template extension, the
 * `CertificateTemplate` name-value pair) and the key spec. Internal.
 */
import type { Tlv } from '../../lib/der.js';
import { encodingOf, oidOf } from '../../lib/der-values.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { CA_OID, OID } from '../oids.js';
import {
  itemsOf,
  octetsOf,
  parseWith,
  readDer,
  refuse,
  textOf,
  uint32Of,
  wholeBytesOf,
} from './reading.js';

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

const SEQUENCE = 0x30;
const SET = 0x31;

/** Parses a DER PKCS#10 request; refuses anything malformed. Verifies nothing.
 *
 * @category Certificate authority
 */
export function parsePkcs10(der: Uint8Array): ParsedPkcs10 {
  const root = readDer(der, 'The certificate request');
  return parseWith('The certificate request', () => readRequest(der, root));
}

function readRequest(der: Uint8Array, root: Tlv): ParsedPkcs10 {
  const [info, algorithm, signature, ...rest] = itemsOf(der, root, SEQUENCE, 'The request');
  if (rest.length > 0 || info === undefined || algorithm === undefined) {
    refuse('A certificate request has three parts: info, algorithm, signature.');
  }
  const signatureBytes = wholeBytesOf(der, signature, 'The request signature');
  const [version, subject, spki, attributes, ...more] = itemsOf(
    der,
    info,
    SEQUENCE,
    'The request info',
  );
  if (more.length > 0 || spki === undefined || attributes === undefined) {
    refuse('The request info has the wrong number of fields.');
  }
  if (uint32Of(der, version, 'The request version') !== 0) refuse('Only v1 requests exist.');
  itemsOf(der, subject, SEQUENCE, 'The request subject');
  itemsOf(der, spki, SEQUENCE, 'The request public key');
  const collected: Collected = {
    templateNames: [],
    templateOids: [],
    keySpec: undefined,
    subjectKeyIdentifier: undefined,
  };
  for (const attribute of itemsOf(der, attributes, 0xa0, 'The request attribute set')) {
    readAttribute(der, attribute, collected);
  }
  const [algorithmId] = itemsOf(der, algorithm, SEQUENCE, 'The signature algorithm');
  return {
    info: encodingOf(der, info).slice(),
    signatureAlgorithm: oidOf(der, algorithmId),
    signature: signatureBytes,
    spki: encodingOf(der, spki).slice(),
    ...collected,
  };
}

function readAttribute(der: Uint8Array, attribute: Tlv, out: Collected): void {
  const [type, values, ...rest] = itemsOf(der, attribute, SEQUENCE, 'A request attribute');
  if (rest.length > 0) refuse('A request attribute has too many fields.');
  const oid = oidOf(der, type);
  const items = itemsOf(der, values, SET, `The value set of attribute ${oid}`);
  if (oid === OID.extensionRequest) {
    for (const extensions of items) {
      for (const extension of itemsOf(der, extensions, SEQUENCE, 'The extension request')) {
        readExtension(der, extension, out);
      }
    }
  } else if (oid === OID.enrollmentNameValuePair) {
    for (const value of items) readNameValuePairs(der, value, out);
  } else if (oid === OID.enrollmentCspProvider) {
    const [keySpec] = itemsOf(der, items[0], SEQUENCE, 'The CSP attribute');
    out.keySpec = uint32Of(der, keySpec, 'The CSP key spec');
  }
}

function readExtension(der: Uint8Array, extension: Tlv, out: Collected): void {
  const fields = itemsOf(der, extension, SEQUENCE, 'A requested extension');
  if (fields.length < 2 || fields.length > 3) refuse('A requested extension has the wrong shape.');
  const oid = oidOf(der, fields[0]);
  const value = octetsOf(der, fields[fields.length - 1], `The value of extension ${oid}`);
  if (oid === OID.certificateTemplateName) {
    const name = textOf(value, readDer(value, 'The template name extension'));
    if (name === undefined) refuse('The template name is neither a BMPString nor a UTF8String.');
    out.templateNames.push(name);
  } else if (oid === CA_OID.certificateTemplate) {
    const template = readDer(value, 'The template extension');
    const [templateId] = itemsOf(value, template, SEQUENCE, 'The template extension');
    out.templateOids.push(oidOf(value, templateId));
  } else if (oid === EXTENSION.subjectKeyIdentifier) {
    const ski = readDer(value, 'The SKI extension');
    out.subjectKeyIdentifier = octetsOf(value, ski, 'The SKI');
  }
}

/**
 * One value of the name-value pair attribute: a `SEQUENCE { name, value }` (what Windows sends),
 * or a `SEQUENCE OF` such pairs; both are accepted. Only `CertificateTemplate` is read.
 */
function readNameValuePairs(der: Uint8Array, value: Tlv, out: Collected): void {
  const items = itemsOf(der, value, SEQUENCE, 'A name-value pair');
  const pairs = textOf(der, items[0]) === undefined ? items : [value];
  for (const pair of pairs) {
    const [name, text, ...rest] = itemsOf(der, pair, SEQUENCE, 'A name-value pair');
    const key = textOf(der, name);
    const content = textOf(der, text);
    if (rest.length > 0 || key === undefined || content === undefined) {
      refuse('A name-value pair is not two BMPStrings.');
    }
    if (key.toLowerCase() === 'certificatetemplate') out.templateNames.push(content);
  }
}
