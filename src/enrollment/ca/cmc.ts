/**
 * Reading a CMC Full PKI Request (RFC 5272): CMS SignedData whose content is PKIData holding
 * exactly one PKCS#10 request, and the regInfo controls. The CMS layer is read by
 * `signed-data.ts`, PKIData here, both with the strict DER reader. Internal.
 */
import type { Tlv } from '../../lib/der.js';
import { encodingOf, oidOf } from '../../lib/der-values.js';
import { OID } from '../oids.js';
import { itemsOf, octetsOf, parseWith, readDer, refuse, uint32Of } from './reading.js';
import { readSignedData, type SignerInfo } from './signed-data.js';

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
  readonly signers: readonly SignerInfo[];
  /** The X.509 certificates the SignedData carries, DER. */
  readonly certificates: readonly Uint8Array<ArrayBuffer>[];
}

const SEQUENCE = 0x30;

/** Parses a DER CMC request; refuses anything malformed. Verifies nothing.
 *
 * @category Certificate authority
 */
export function parseCmc(der: Uint8Array): ParsedCmc {
  const signed = readSignedData(der);
  if (signed.contentType !== OID.pkiData) refuse('The CMC content is not PKIData.');
  if (signed.content === undefined) refuse('The CMC request has no content.');
  const content = signed.content;
  const root = readDer(content, 'The PKIData');
  return {
    ...parseWith('The PKIData', () => readPkiData(content, root)),
    content,
    signers: signed.signers,
    certificates: signed.certificates,
  };
}

/** `PKIData ::= SEQUENCE { controlSequence, reqSequence, cmsSequence, otherMsgSequence }` */
function readPkiData(bytes: Uint8Array, root: Tlv): Pick<ParsedCmc, 'request' | 'regInfo'> {
  const fields = itemsOf(bytes, root, SEQUENCE, 'The PKIData');
  const [controls, requests, cms, other] = fields;
  if (fields.length !== 4) refuse('PKIData has four fields.');
  const regInfo = new Map<string, string>();
  for (const control of itemsOf(bytes, controls, SEQUENCE, 'The CMC controls')) {
    const [bodyPartId, type, values, ...rest] = itemsOf(bytes, control, SEQUENCE, 'A control');
    uint32Of(bytes, bodyPartId, 'A control body part id');
    const items = itemsOf(bytes, values, 0x31, 'The value set of a CMC control');
    if (rest.length > 0) refuse('A CMC control has too many fields.');
    if (oidOf(bytes, type) !== OID.regInfo) continue;
    for (const item of items) readRegInfo(octetsOf(bytes, item, 'A regInfo value'), regInfo);
  }
  const tagged = itemsOf(bytes, requests, SEQUENCE, 'The CMC requests');
  if (tagged.length !== 1) {
    refuse(`A CMC request holds exactly one certificate request, not ${tagged.length}.`);
  }
  const [bodyPartId, request, ...rest] = itemsOf(
    bytes,
    tagged[0],
    0xa0,
    'The CMC request (only PKCS#10 requests, tagged [0], are accepted)',
  );
  uint32Of(bytes, bodyPartId, 'The request body part id');
  if (rest.length > 0 || request === undefined) refuse('The tagged request has the wrong shape.');
  itemsOf(bytes, request, SEQUENCE, 'The certification request');
  if (itemsOf(bytes, cms, SEQUENCE, 'The CMC cmsSequence').length > 0) {
    refuse('Nested CMS content in a CMC request is not supported.');
  }
  itemsOf(bytes, other, SEQUENCE, 'The CMC otherMsgSequence');
  return { request: encodingOf(bytes, request).slice(), regInfo };
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
