/**
 * The Card Holder Unique Identifier (CHUID, object 5FC102) a PIV test card is made with: a FASC-N
 * (TIG SCEPACS: 40 characters of 4-bit BCD with odd parity, 25 bytes), a random GUID, an
 * expiration date, and an empty signature, as cards personalised for testing carry.
 */

import { encodeObject } from '../../lib/apdu.js';
import { concatBytes, utf8 } from '../../lib/bytes.js';

/** The fields of a FASC-N, as digit strings of their fixed lengths. */
export interface FascnFields {
  readonly agencyCode: string; // 4
  readonly systemCode: string; // 4
  readonly credentialNumber: string; // 6
  readonly credentialSeries: string; // 1
  readonly individualCredentialIssue: string; // 1
  readonly personIdentifier: string; // 10
  readonly organizationalCategory: string; // 1
  readonly organizationalIdentifier: string; // 4
  readonly personAssociation: string; // 1
}

const START_SENTINEL = 0xb;
const FIELD_SEPARATOR = 0xd;
const END_SENTINEL = 0xf;

/** The 5 bits of one character: the value's bits least significant first, then odd parity. */
function characterBits(value: number): number[] {
  const bits = [0, 1, 2, 3].map((bit) => (value >> bit) & 1);
  const ones = bits.reduce((sum, bit) => sum + bit, 0);
  return [...bits, ones % 2 === 0 ? 1 : 0];
}

function digits(text: string, length: number, name: string): number[] {
  if (!new RegExp(`^[0-9]{${length}}$`).test(text)) {
    throw new RangeError(`${name} is ${length} digits`);
  }
  return [...text].map(Number);
}

/** Encodes a FASC-N: 25 bytes, the longitudinal redundancy check last. */
export function encodeFascn(fields: FascnFields): Uint8Array<ArrayBuffer> {
  const values = [
    START_SENTINEL,
    ...digits(fields.agencyCode, 4, 'agencyCode'),
    FIELD_SEPARATOR,
    ...digits(fields.systemCode, 4, 'systemCode'),
    FIELD_SEPARATOR,
    ...digits(fields.credentialNumber, 6, 'credentialNumber'),
    FIELD_SEPARATOR,
    ...digits(fields.credentialSeries, 1, 'credentialSeries'),
    FIELD_SEPARATOR,
    ...digits(fields.individualCredentialIssue, 1, 'individualCredentialIssue'),
    FIELD_SEPARATOR,
    ...digits(fields.personIdentifier, 10, 'personIdentifier'),
    ...digits(fields.organizationalCategory, 1, 'organizationalCategory'),
    ...digits(fields.organizationalIdentifier, 4, 'organizationalIdentifier'),
    ...digits(fields.personAssociation, 1, 'personAssociation'),
    END_SENTINEL,
  ];
  const check = values.reduce((xor, value) => xor ^ value, 0);
  const bits = [...values, check].flatMap(characterBits);
  const out = new Uint8Array(25);
  bits.forEach((bit, index) => {
    out[index >> 3] = ((out[index >> 3] as number) << 1) | bit;
  });
  return out;
}

/**
 * The contents of a CHUID object (what goes inside its 53): FASC-N (30) of a test agency (9999)
 * with `credentialNumber`, GUID (34), expiration date (35, YYYYMMDD), issuer signature (3E,
 * empty: the test card's CHUID is unsigned) and the error detection code (FE).
 */
export function chuidContents(credentialNumber: string, guid: Uint8Array): Uint8Array<ArrayBuffer> {
  if (guid.length !== 16) throw new RangeError('a GUID is 16 bytes');
  const fascn = encodeFascn({
    agencyCode: '9999',
    systemCode: '9999',
    credentialNumber,
    credentialSeries: '0',
    individualCredentialIssue: '1',
    personIdentifier: '0000000000',
    organizationalCategory: '3',
    organizationalIdentifier: '0000',
    personAssociation: '1',
  });
  return concatBytes(
    encodeObject(0x30, fascn),
    encodeObject(0x34, guid),
    encodeObject(0x35, utf8('20301231')),
    encodeObject(0x3e, new Uint8Array(0)),
    encodeObject(0xfe, new Uint8Array(0)),
  );
}
