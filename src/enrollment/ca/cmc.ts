/**
 * Reading a CMC Full PKI Request (RFC 5272): CMS SignedData whose content is PKIData holding
 * exactly one PKCS#10 request, and the regInfo controls. pkijs reads the CMS layer; PKIData is
 * read here (pkijs has no CMC types). Internal.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { concatBytes } from '../../lib/bytes.js';
import { OID } from '../oids.js';
import {
  encodingOf,
  octetsOf,
  oidOf,
  parseDer,
  parseWith,
  refuse,
  sequenceItems,
  setItems,
  smallIntegerOf,
  taggedItems,
} from './asn1.js';

/** What the CA reads from a CMC request.
 *
 * @category Certificate authority
 */
export interface ParsedCmc {
  /** The one PKCS#10 request, DER, exactly as it appears. */
  readonly request: Uint8Array<ArrayBuffer>;
  /** The name-value pairs of every regInfo control, names lowercased. */
  readonly regInfo: ReadonlyMap<string, string>;
  /** The encapsulated PKIData, exactly as the signers signed it. */
  readonly content: Uint8Array<ArrayBuffer>;
  /** The SignedData's signers. */
  readonly signers: readonly pkijs.SignerInfo[];
  /** The X.509 certificates the SignedData carries. */
  readonly certificates: readonly pkijs.Certificate[];
}

/** Parses a DER CMC request; refuses anything malformed. Verifies nothing.
 *
 * @category Certificate authority
 */
export function parseCmc(der: Uint8Array): ParsedCmc {
  const root = parseDer(der, 'The CMC request');
  const info = parseWith('The CMC request', () => new pkijs.ContentInfo({ schema: root }));
  if (info.contentType !== OID.signedData) refuse('A CMC request is a CMS SignedData.');
  const signed = parseWith('The CMC SignedData', () => {
    return new pkijs.SignedData({ schema: info.content });
  });
  const encapsulated = signed.encapContentInfo;
  if (encapsulated.eContentType !== OID.pkiData) refuse('The CMC content is not PKIData.');
  if (encapsulated.eContent === undefined) refuse('The CMC request has no content.');
  const content = contentOctets(encapsulated.eContent);
  return {
    ...parsePkiData(content),
    content,
    signers: signed.signerInfos,
    certificates: (signed.certificates ?? []).filter((c) => c instanceof pkijs.Certificate),
  };
}

/**
 * The eContent OCTET STRING's contents. pkijs's `EncapsulatedContentInfo` constructor writes it
 * as a constructed OCTET STRING of 64 KiB pieces (definite-length BER); the pieces are joined.
 */
function contentOctets(node: asn1js.AsnType): Uint8Array<ArrayBuffer> {
  if (!(node instanceof asn1js.OctetString) || !node.idBlock.isConstructed) {
    return octetsOf(node, 'The CMC content');
  }
  const pieces = node.valueBlock.value.map((piece) => contentOctets(piece));
  return concatBytes(...pieces);
}

/** `PKIData ::= SEQUENCE { controlSequence, reqSequence, cmsSequence, otherMsgSequence }` */
function parsePkiData(bytes: Uint8Array): Pick<ParsedCmc, 'request' | 'regInfo'> {
  const fields = sequenceItems(parseDer(bytes, 'The PKIData'), 'The PKIData');
  const [controls, requests, cms, other] = fields;
  if (fields.length !== 4) refuse('PKIData has four fields.');
  const regInfo = new Map<string, string>();
  for (const control of sequenceItems(controls, 'The CMC controls')) {
    const [bodyPartId, type, values, ...rest] = sequenceItems(control, 'A CMC control');
    smallIntegerOf(bodyPartId, 'A control body part id');
    const items = setItems(values, 'The value set of a CMC control');
    if (rest.length > 0) refuse('A CMC control has too many fields.');
    if (oidOf(type, 'A CMC control type') !== OID.regInfo) continue;
    for (const item of items) readRegInfo(octetsOf(item, 'A regInfo value'), regInfo);
  }
  const tagged = sequenceItems(requests, 'The CMC requests');
  if (tagged.length !== 1) {
    refuse(`A CMC request holds exactly one certificate request, not ${tagged.length}.`);
  }
  const [bodyPartId, request, ...rest] = taggedItems(
    tagged[0],
    0,
    'The CMC request (only PKCS#10 requests, tagged [0], are accepted)',
  );
  smallIntegerOf(bodyPartId, 'The request body part id');
  if (rest.length > 0 || request === undefined) refuse('The tagged request has the wrong shape.');
  sequenceItems(request, 'The certification request');
  if (sequenceItems(cms, 'The CMC cmsSequence').length > 0) {
    refuse('Nested CMS content in a CMC request is not supported.');
  }
  sequenceItems(other, 'The CMC otherMsgSequence');
  return { request: encodingOf(request as asn1js.AsnType), regInfo };
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** `name=value&name=value`, URL-encoded UTF-8 (`requestername=CONTOSO%5Calice`). */
function readRegInfo(bytes: Uint8Array, into: Map<string, string>): void {
  const text = parseWith('A regInfo value (UTF-8 text)', () => utf8Strict.decode(bytes));
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) refuse('A regInfo pair is not name=value.');
    const decode = (s: string) =>
      parseWith('A regInfo pair', () => decodeURIComponent(s.replaceAll('+', ' ')));
    const name = decode(pair.slice(0, at)).toLowerCase();
    const value = decode(pair.slice(at + 1));
    const seen = into.get(name);
    if (seen !== undefined && seen !== value) refuse(`The regInfo names two ${name} values.`);
    into.set(name, value);
  }
}
