/**
 * Certificate requests made directly with pkijs and WebCrypto keys, as other software would send
 * them to the CA: PKCS#10 with the Microsoft template extension, name-value pairs and a SAN;
 * CMC signed by the request's own key or by an enrollment agent with a regInfo requestername.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { HashName } from '../../../src/card/contract/smart-card.js';
import { fixturePkcs8 } from '../../support/fixture-keys.js';

export const OIDS = {
  extensionRequest: '1.2.840.113549.1.9.14',
  templateName: '1.3.6.1.4.1.311.20.2',
  templateV2: '1.3.6.1.4.1.311.21.7',
  nameValuePair: '1.3.6.1.4.1.311.13.2.1',
  csp: '1.3.6.1.4.1.311.13.2.2',
  upn: '1.3.6.1.4.1.311.20.2.3',
  pkiData: '1.3.6.1.5.5.7.12.2',
  regInfo: '1.3.6.1.5.5.7.7.18',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
} as const;

/** A key pair with its SPKI, and the hash its signatures use. */
export interface TestKey {
  readonly privateKey: CryptoKey;
  readonly spki: Uint8Array<ArrayBuffer>;
  readonly hash: HashName;
}

const subtle = globalThis.crypto.subtle;

/** A fresh P-256 key (fast). */
export async function ecKey(hash: HashName = 'SHA-256'): Promise<TestKey> {
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  return { privateKey: pair.privateKey, spki, hash };
}

/** An RSA-2048 fixture key (no key generation), signing with `hash`. */
export async function rsaKey(index = 0, hash: HashName = 'SHA-256'): Promise<TestKey> {
  const keys = fixturePkcs8('RSA-2048');
  const pkcs8 = keys[index % keys.length];
  if (pkcs8 === undefined) throw new Error(`no RSA fixture key ${index}`);
  return rsaFromPkcs8(pkcs8, hash);
}

/** A fresh RSA key of `bits` (for weak-key tests: small ones are quick). */
export async function rsaKeyOfSize(bits: number): Promise<TestKey> {
  const params = {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: bits,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  };
  const pair = await subtle.generateKey(params, true, ['sign', 'verify']);
  return rsaFromPkcs8(new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey)), 'SHA-256');
}

async function rsaFromPkcs8(pkcs8: Uint8Array<ArrayBuffer>, hash: HashName): Promise<TestKey> {
  const params = { name: 'RSASSA-PKCS1-v1_5', hash };
  const privateKey = await subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
  const jwk = await subtle.exportKey('jwk', privateKey);
  const publicKey = await subtle.importKey(
    'jwk',
    { kty: 'RSA', n: String(jwk.n), e: String(jwk.e) },
    params,
    true,
    ['verify'],
  );
  const spki = new Uint8Array(await subtle.exportKey('spki', publicKey));
  return { privateKey, spki, hash };
}

/** What a test PKCS#10 request carries. */
export interface Pkcs10Options {
  /** The v1 template name extension (BMPString unless `templateAs` says UTF8String). */
  template?: string;
  templateAs?: 'bmp' | 'utf8' | 'ia5';
  /** The v2 template extension's OID. */
  templateOid?: string;
  /** A `CertificateTemplate` name-value pair. */
  nameValueTemplate?: string;
  /** The CSP attribute's key spec (1 exchange, 2 signature). */
  keySpec?: number;
  /** The subject CN the request asks for (the CA ignores it). */
  commonName?: string;
  /** A SAN the request asks for (the CA ignores it). */
  san?: { upn?: string; email?: string };
  /** A subject key identifier extension the request asks for. */
  ski?: Uint8Array<ArrayBuffer>;
  /** Another key to sign with (a request without proof of possession). */
  signer?: TestKey;
}

const bmp = (value: string) => new asn1js.BmpString({ value });

function extension(extnID: string, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical: false, extnValue: value.toBER() });
}

/** A PKCS#10 request signed with `key`. */
export async function pkcs10(
  key: TestKey,
  options: Pkcs10Options = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  csr.subject.typesAndValues.push(
    new pkijs.AttributeTypeAndValue({
      type: '2.5.4.3',
      value: new asn1js.Utf8String({ value: options.commonName ?? 'Mallory Requested' }),
    }),
  );
  csr.subjectPublicKeyInfo = new pkijs.PublicKeyInfo({
    schema: asn1js.fromBER(key.spki.slice()).result,
  });
  const extensions: pkijs.Extension[] = [];
  if (options.template !== undefined) {
    const as = options.templateAs ?? 'bmp';
    const value =
      as === 'bmp'
        ? bmp(options.template)
        : as === 'utf8'
          ? new asn1js.Utf8String({ value: options.template })
          : new asn1js.IA5String({ value: options.template });
    extensions.push(extension(OIDS.templateName, value));
  }
  if (options.templateOid !== undefined) {
    const value = new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: options.templateOid }),
        new asn1js.Integer({ value: 100 }),
        new asn1js.Integer({ value: 2 }),
      ],
    });
    extensions.push(extension(OIDS.templateV2, value));
  }
  if (options.san !== undefined) {
    const names: asn1js.AsnType[] = [];
    if (options.san.upn !== undefined) {
      names.push(
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [
            new asn1js.ObjectIdentifier({ value: OIDS.upn }),
            new asn1js.Constructed({
              idBlock: { tagClass: 3, tagNumber: 0 },
              value: [new asn1js.Utf8String({ value: options.san.upn })],
            }),
          ],
        }),
      );
    }
    if (options.san.email !== undefined) {
      const email = new TextEncoder().encode(options.san.email);
      names.push(new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 1 }, valueHex: email }));
    }
    extensions.push(extension('2.5.29.17', new asn1js.Sequence({ value: names })));
  }
  if (options.ski !== undefined) {
    extensions.push(extension('2.5.29.14', new asn1js.OctetString({ valueHex: options.ski })));
  }
  const attributes: pkijs.Attribute[] = [];
  if (extensions.length > 0) {
    const value = new pkijs.Extensions({ extensions }).toSchema();
    attributes.push(new pkijs.Attribute({ type: OIDS.extensionRequest, values: [value] }));
  }
  if (options.nameValueTemplate !== undefined) {
    const pair = new asn1js.Sequence({
      value: [bmp('CertificateTemplate'), bmp(options.nameValueTemplate)],
    });
    attributes.push(new pkijs.Attribute({ type: OIDS.nameValuePair, values: [pair] }));
  }
  if (options.keySpec !== undefined) {
    const csp = new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: options.keySpec }),
        bmp('Microsoft Base Smart Card Crypto Provider'),
        new asn1js.BitString({ valueHex: new ArrayBuffer(0) }),
      ],
    });
    attributes.push(new pkijs.Attribute({ type: OIDS.csp, values: [csp] }));
  }
  csr.attributes = attributes;
  const signer = options.signer ?? key;
  await csr.sign(signer.privateKey, signer.hash);
  return new Uint8Array(csr.toSchema().toBER());
}
