/**
 * The SID in a certificate (KB5014754): the text form as Windows writes it, the extension as AD
 * CS encodes it, and the SAN URI form, read from certificates written by pkijs (not by the SDK's
 * writer); a certificate that carries two different SIDs, or a malformed one, is refused, never
 * read as some SID.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import {
  isSecurityIdentifier,
  readCertificateSid,
  sidExtensionValue,
} from '../../src/lib/security-identifier.js';
import { ext, issue } from '../server/path/support/issue.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const OTHER_SID = 'S-1-5-21-3623811015-3361044348-30300820-1014';

/** The extension as a second writer (asn1js) encodes it, from the SID's text. */
function sidExtension(text: string, type = '1.3.6.1.4.1.311.25.2.1') {
  const otherName = new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [
      new asn1js.ObjectIdentifier({ value: type }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.OctetString({ valueHex: new TextEncoder().encode(text).buffer })],
      }),
    ],
  });
  return ext('1.3.6.1.4.1.311.25.2', new asn1js.Sequence({ value: [otherName] }));
}

const sanUri = (...uris: string[]) =>
  ext(
    '2.5.29.17',
    new pkijs.GeneralNames({
      names: uris.map((value) => new pkijs.GeneralName({ type: 6, value })),
    }),
  );

const certificateWith = async (...extra: pkijs.Extension[]) =>
  (await issue({ subject: 'Alice', extra })).der;

describe('isSecurityIdentifier', () => {
  it.each([SID, 'S-1-5-18', 'S-1-0-0', 'S-1-5-32-544', `S-1-281474976710655-${2 ** 32 - 1}`])(
    'accepts %s',
    (text) => expect(isSecurityIdentifier(text)).toBe(true),
  );
  it.each([
    'S-1-5',
    's-1-5-18',
    'S-2-5-18',
    'S-1-05-18',
    'S-1-5-018',
    `S-1-5-${2 ** 32}`,
    `S-1-${2 ** 48}-1`,
    'S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16',
    'S-1-5-18 ',
    'S-1-5--18',
    'S-1-5-1e3',
    '',
  ])('refuses %j', (text) => expect(isSecurityIdentifier(text)).toBe(false));
});

describe('the SID in a certificate', () => {
  it('encodes the extension as a second writer does, byte for byte', () => {
    const theirs = new Uint8Array(sidExtension(SID).extnValue.getValue());
    expect(sidExtensionValue(SID)).toEqual(theirs);
    expect(() => sidExtensionValue('S-1-5')).toThrow(/security identifier/);
  });

  it('reads the extension, the SAN URI form, both when they agree, and none', async () => {
    expect(readCertificateSid(await certificateWith(sidExtension(SID)))).toBe(SID);
    const uri = `tag:microsoft.com,2022-09-14:sid:${SID}`;
    expect(readCertificateSid(await certificateWith(sanUri('https://contoso.test/', uri)))).toBe(
      SID,
    );
    expect(readCertificateSid(await certificateWith(sidExtension(SID), sanUri(uri)))).toBe(SID);
    expect(readCertificateSid(await certificateWith())).toBeUndefined();
    expect(
      readCertificateSid(await certificateWith(sanUri('https://contoso.test/'))),
    ).toBeUndefined();
  });

  it('refuses two different SIDs, a malformed SID, another otherName type, and broken DER', async () => {
    const cases = [
      [sidExtension(SID), sanUri(`tag:microsoft.com,2022-09-14:sid:${OTHER_SID}`)],
      [
        sanUri(
          `tag:microsoft.com,2022-09-14:sid:${SID}`,
          `tag:microsoft.com,2022-09-14:sid:${OTHER_SID}`,
        ),
      ],
      [sidExtension('S-1-5-21-0x10')],
      [sidExtension(`${SID} `)],
      [sidExtension(SID, '1.3.6.1.4.1.311.20.2.3')],
      [ext('1.3.6.1.4.1.311.25.2', new asn1js.Sequence({ value: [] }))],
      [
        ext(
          '1.3.6.1.4.1.311.25.2',
          new asn1js.OctetString({ valueHex: new Uint8Array([1]).buffer }),
        ),
      ],
    ];
    for (const extra of cases) {
      const der = await certificateWith(...extra);
      expect(() => readCertificateSid(der)).toThrow(
        expect.objectContaining({ code: 'ERR_CERTIFICATE_INVALID' }),
      );
    }
    expect(() => readCertificateSid(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(
      expect.objectContaining({ code: 'ERR_CERTIFICATE_INVALID' }),
    );
  });
});
