import { describe, expect, it } from 'vitest';
import { describeCertificate } from '../../../src/enrollment/index.js';
import { CertificateInvalidError } from '../../../src/errors.js';
import {
  booleanValue,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  setOf,
  tlv,
  utf8String,
} from '../../../src/lib/der-write.js';
import {
  ascii,
  CN,
  certificate,
  E,
  extension,
  name,
  printable,
  SAN,
  upn,
  utcTime,
} from '../support/hand-made-certificate.js';

/**
 * describeCertificate reads strict DER and valid X.509 values only: what pkijs read on (BER
 * lengths, trailing bytes, an extension twice, malformed times, strings and OIDs) is refused
 * with CertificateInvalidError, nothing else.
 */
/** `tag`, a non-minimal two-byte length and `contents`: BER, not DER. */
const longForm = (tag: number, contents: Uint8Array) =>
  new Uint8Array([tag, 0x81, contents.length, ...contents]);

const notDer: Record<string, () => Uint8Array> = {
  'a non-minimal length inside the subject': () =>
    certificate({ subject: sequence(setOf(sequence(oid(CN), longForm(0x0c, ascii('Alice'))))) }),
  'an indefinite length': () => {
    const der = certificate();
    const body = der.subarray(der[1] === 0x82 ? 4 : 3);
    return new Uint8Array([0x30, 0x80, ...body, 0, 0]);
  },
  'a byte after the certificate': () => new Uint8Array([...certificate(), 0]),
  'a UTCTime without seconds': () =>
    certificate({ validity: sequence(utcTime('2603011200Z'), utcTime('270301120000Z')) }),
  'a UTF8String that is not UTF-8': () =>
    certificate({ subject: name([[CN, tlv(0x0c, new Uint8Array([0x41, 0xc3, 0x28]))]]) }),
  'a PrintableString holding @': () =>
    certificate({ subject: name([[E, printable('alice@contoso.test')]]) }),
  'the SAN twice': () =>
    certificate({
      extensions: [
        extension(SAN, sequence(upn('alice@contoso.test'))),
        extension(SAN, sequence(upn('mallory@contoso.test'))),
      ],
    }),
  'a critical flag of FALSE encoded': () =>
    certificate({
      extensions: [sequence(oid(SAN), booleanValue(false), octetString(sequence(upn('a@b'))))],
    }),
  'an OID arc that is not minimal': () =>
    certificate({
      subject: sequence(
        setOf(sequence(tlv(0x06, new Uint8Array([0x55, 0x80, 0x04, 0x03])), utf8String('Alice'))),
      ),
    }),
  'a BMPString cut short': () =>
    certificate({ subject: name([[CN, tlv(0x1e, new Uint8Array([0, 0x41, 0]))]]) }),
  'a BMPString holding half a surrogate pair': () =>
    certificate({ subject: name([[CN, tlv(0x1e, new Uint8Array([0xd8, 0x3d]))]]) }),
  'an IA5String e-mail with an 8-bit byte': () =>
    certificate({
      extensions: [extension(SAN, sequence(implicitPrimitive(1, new Uint8Array([0x61, 0xe9]))))],
    }),
};

describe('describeCertificate reads strict DER and refuses the rest', () => {
  it.each(Object.keys(notDer))('%s: CertificateInvalidError', (which) => {
    const der = (notDer[which] as () => Uint8Array)();
    expect(() => describeCertificate(der)).toThrow(CertificateInvalidError);
  });
});
