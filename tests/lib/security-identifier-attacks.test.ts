/**
 * Attacks on the SID reader: a SAN URI that is not UTF-8 (and not a SID URI) must not make the
 * certificate's SID unreadable (the Authenticator would refuse the sign-in even without the
 * SID option), and an otherName with more than its two fields is malformed, never read.
 */
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { readCertificateSid } from '../../src/lib/security-identifier.js';
import { ext, issue } from '../server/path/support/issue.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const OTHER_SID = 'S-1-5-21-3623811015-3361044348-30300820-1014';
const text = (value: string) => new TextEncoder().encode(value);

/** A SAN of URIs given as raw IA5String bytes. */
const sanUriBytes = (...uris: Uint8Array[]) =>
  ext(
    '2.5.29.17',
    new asn1js.Sequence({
      value: uris.map(
        (bytes) =>
          new asn1js.Primitive({
            idBlock: { tagClass: 3, tagNumber: 6 },
            valueHex: bytes.slice().buffer,
          }),
      ),
    }),
  );

/** The SID extension whose otherName holds `fields` after its type. */
const sidExtensionOf = (...fields: asn1js.AsnType[]) =>
  ext(
    '1.3.6.1.4.1.311.25.2',
    new asn1js.Sequence({
      value: [
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [new asn1js.ObjectIdentifier({ value: '1.3.6.1.4.1.311.25.2.1' }), ...fields],
        }),
      ],
    }),
  );
const wrappedSid = (sid: string) =>
  new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [new asn1js.OctetString({ valueHex: text(sid).buffer })],
  });

describe('readCertificateSid attacked', () => {
  it('passes over a SAN URI that is not UTF-8 and names no SID', async () => {
    const latin1 = Uint8Array.from([...text('https://intranet.contoso.com/caf'), 0xe9]);
    const { der } = await issue({ subject: 'Alice', extra: [sanUriBytes(latin1)] });
    expect(readCertificateSid(der)).toBeUndefined();
    const both = await issue({
      subject: 'Alice',
      extra: [sanUriBytes(latin1, text(`tag:microsoft.com,2022-09-14:sid:${SID}`))],
    });
    expect(readCertificateSid(both.der)).toBe(SID);
  });

  it('refuses a SID URI with a byte beyond ASCII', async () => {
    const uri = Uint8Array.from([...text(`tag:microsoft.com,2022-09-14:sid:${SID}`), 0xe9]);
    const { der } = await issue({ subject: 'Alice', extra: [sanUriBytes(uri)] });
    expect(() => readCertificateSid(der)).toThrow(
      expect.objectContaining({ code: 'ERR_CERTIFICATE_INVALID' }),
    );
  });

  it('refuses an otherName with a third field (a second SID hidden after the first)', async () => {
    const { der } = await issue({
      subject: 'Alice',
      extra: [sidExtensionOf(wrappedSid(SID), wrappedSid(OTHER_SID))],
    });
    expect(() => readCertificateSid(der)).toThrow(
      expect.objectContaining({ code: 'ERR_CERTIFICATE_INVALID' }),
    );
    const plain = await issue({ subject: 'Alice', extra: [sidExtensionOf(wrappedSid(SID))] });
    expect(readCertificateSid(plain.der)).toBe(SID);
  });
});
