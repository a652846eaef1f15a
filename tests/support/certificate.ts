import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

let serial = 1;

/**
 * A minimal X.509 certificate for the public key `spki` (DER SubjectPublicKeyInfo), issued by a
 * throwaway key: enough for a card to store and compare keys. Enrollment builds real ones.
 */
export async function certificateFor(
  spki: Uint8Array,
  commonName = 'Test User',
): Promise<Uint8Array> {
  const issuer = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial++ });
  const name = (cn: string) =>
    new pkijs.AttributeTypeAndValue({
      type: '2.5.4.3',
      value: new asn1js.Utf8String({ value: cn }),
    });
  cert.issuer.typesAndValues.push(name('Test Issuing CA'));
  cert.subject.typesAndValues.push(name(commonName));
  cert.notBefore.value = new Date('2026-01-01T00:00:00Z');
  cert.notAfter.value = new Date('2036-01-01T00:00:00Z');
  const parsed = asn1js.fromBER(new Uint8Array(spki));
  if (parsed.offset === -1) throw new Error('not DER');
  cert.subjectPublicKeyInfo = new pkijs.PublicKeyInfo({ schema: parsed.result });
  // The subject key identifier (SHA-1 of the key bits), so CMS signers can name it.
  const keyBits = cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  const ski = new Uint8Array(await crypto.subtle.digest('SHA-1', new Uint8Array(keyBits)));
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.14',
      extnValue: new asn1js.OctetString({ valueHex: ski }).toBER(false),
    }),
  ];
  await cert.sign(issuer.privateKey, 'SHA-256');
  return new Uint8Array(cert.toSchema().toBER());
}
