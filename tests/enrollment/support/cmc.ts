/**
 * CMC Full PKI Requests made with pkijs (CMS) and asn1js (PKIData), signed by the request's own
 * key (subjectKeyIdentifier signer) or by an enrollment agent (issuerAndSerialNumber, with its
 * certificate carried), with or without signed attributes.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OIDS, type TestKey } from './requests.js';

/** Who signs the SignedData. */
export type TestSigner =
  | { readonly key: TestKey; readonly ski: Uint8Array<ArrayBuffer> }
  | {
      readonly key: TestKey;
      readonly certificate: Uint8Array<ArrayBuffer>;
      /**
       * How the signer is named: by issuer and serial (the default), by key identifier, or by
       * issuer and serial with the issuer's name written another way (each value upper-cased,
       * as UTF8String), which RFC 5280 §7.1 still compares equal.
       */
      readonly sid?: 'issuerAndSerial' | 'ski' | 'issuerRewritten';
    };

/** What a test CMC request holds. */
export interface CmcOptions {
  /** The PKCS#10 requests in reqSequence (one, normally). */
  readonly requests: readonly Uint8Array<ArrayBuffer>[];
  /** The signer; none makes an unsigned SignedData. */
  readonly signer?: TestSigner;
  /** regInfo control values, as text (`requestername=CONTOSO%5Calice`). */
  readonly regInfo?: readonly string[];
  /** Sign the content directly, without contentType/messageDigest attributes. */
  readonly noSignedAttributes?: boolean;
  /** Let pkijs cut the content into a constructed OCTET STRING, as its constructor does. */
  readonly constructedContent?: boolean;
  /** Content put in place of the signed PKIData after signing (a tampered request). */
  readonly replaceContent?: Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

/** `PKIData ::= SEQUENCE { controlSequence, reqSequence, cmsSequence, otherMsgSequence }` */
export function pkiData(
  options: Pick<CmcOptions, 'requests' | 'regInfo'>,
): Uint8Array<ArrayBuffer> {
  let bodyPart = 1;
  const controls = (options.regInfo ?? []).map(
    (text) =>
      new asn1js.Sequence({
        value: [
          new asn1js.Integer({ value: bodyPart++ }),
          new asn1js.ObjectIdentifier({ value: OIDS.regInfo }),
          new asn1js.Set({ value: [new asn1js.OctetString({ valueHex: encoder.encode(text) })] }),
        ],
      }),
  );
  const requests = options.requests.map(
    (der) =>
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Integer({ value: bodyPart++ }), asn1js.fromBER(der.slice()).result],
      }),
  );
  const data = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: controls }),
      new asn1js.Sequence({ value: requests }),
      new asn1js.Sequence({ value: [] }),
      new asn1js.Sequence({ value: [] }),
    ],
  });
  return new Uint8Array(data.toBER());
}

/** A ContentInfo { SignedData { PKIData } }, DER. */
export async function cmc(options: CmcOptions): Promise<Uint8Array<ArrayBuffer>> {
  const content = pkiData(options);
  const eContent = new asn1js.OctetString({ valueHex: content });
  const encapContentInfo = options.constructedContent
    ? new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.pkiData, eContent })
    : new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.pkiData });
  // Set after construction, the content stays one primitive OCTET STRING (DER).
  encapContentInfo.eContent ??= eContent;
  const signed = new pkijs.SignedData({ version: 3, encapContentInfo, signerInfos: [] });
  const { signer } = options;
  if (signer !== undefined) {
    const sid = sidOf(signer);
    const info = new pkijs.SignerInfo({
      version: sid instanceof pkijs.IssuerAndSerialNumber ? 1 : 3,
      sid,
    });
    if (!options.noSignedAttributes) {
      const digest = await crypto.subtle.digest(signer.key.hash, content);
      info.signedAttrs = new pkijs.SignedAndUnsignedAttributes({
        type: 0,
        attributes: [
          new pkijs.Attribute({
            type: OIDS.contentType,
            values: [new asn1js.ObjectIdentifier({ value: OIDS.pkiData })],
          }),
          new pkijs.Attribute({
            type: OIDS.messageDigest,
            values: [new asn1js.OctetString({ valueHex: digest })],
          }),
        ],
      });
    }
    signed.signerInfos.push(info);
    if ('certificate' in signer) {
      signed.certificates = [
        new pkijs.Certificate({ schema: asn1js.fromBER(signer.certificate.slice()).result }),
      ];
    }
    await signed.sign(signer.key.privateKey, 0, signer.key.hash, content);
  }
  if (options.replaceContent !== undefined) {
    encapContentInfo.eContent = new asn1js.OctetString({ valueHex: options.replaceContent });
  }
  const info = new pkijs.ContentInfo({
    contentType: OIDS.signedData,
    content: signed.toSchema(true),
  });
  return new Uint8Array(info.toSchema().toBER());
}

function sidOf(signer: TestSigner): asn1js.AsnType | pkijs.IssuerAndSerialNumber {
  const ski = (bytes: Uint8Array<ArrayBuffer>) =>
    new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: bytes });
  if ('ski' in signer) return ski(signer.ski);
  const certificate = new pkijs.Certificate({
    schema: asn1js.fromBER(signer.certificate.slice()).result,
  });
  if (signer.sid === 'ski') {
    const extension = certificate.extensions?.find((e) => e.extnID === '2.5.29.14');
    const inner = asn1js.fromBER(
      extension?.extnValue.valueBlock.valueHexView.slice() ?? new Uint8Array(),
    );
    return ski(new Uint8Array((inner.result as asn1js.OctetString).valueBlock.valueHexView));
  }
  const issuer =
    signer.sid === 'issuerRewritten'
      ? new pkijs.RelativeDistinguishedNames({
          typesAndValues: certificate.issuer.typesAndValues.map(
            (pair) =>
              new pkijs.AttributeTypeAndValue({
                type: pair.type,
                value: new asn1js.Utf8String({
                  value: String(pair.value.valueBlock.value).toUpperCase(),
                }),
              }),
          ),
        })
      : certificate.issuer;
  return new pkijs.IssuerAndSerialNumber({ issuer, serialNumber: certificate.serialNumber });
}

/** The SKI of a key, RFC 5280 method 1 (SHA-1 of the subjectPublicKey bits). */
export async function skiOf(spki: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const info = new pkijs.PublicKeyInfo({ schema: asn1js.fromBER(spki.slice()).result });
  const bits = info.subjectPublicKey.valueBlock.valueHexView;
  return new Uint8Array(await crypto.subtle.digest('SHA-1', bits.slice()));
}
