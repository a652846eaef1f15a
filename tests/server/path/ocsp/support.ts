/**
 * OCSP responses for the client's tests, written with pkijs (a second implementation, not the
 * SDK's reader): good, revoked or unknown answers signed by the CA or a delegated responder,
 * with the times, nonce and CertID hash each test varies; and a small PKI whose card
 * certificate names a responder in its authorityInfoAccess.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { type Der, oid, sequence, tlv } from '../../../../src/lib/der-write.js';
import { rawExtension } from '../support/crl-pki.js';
import { type Issued, issue, LOGON } from '../support/issue.js';

export const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
export const OCSP_URL = 'http://ocsp.contoso.test/ocsp';

/** An authorityInfoAccess with one id-ad-ocsp URI. */
export const aia = (url: string) =>
  rawExtension(
    '1.3.6.1.5.5.7.1.1',
    sequence(sequence(oid('1.3.6.1.5.5.7.48.1'), tlv(0x86, new TextEncoder().encode(url)))),
  );

/** id-pkix-ocsp-nocheck, its value a NULL. */
export const nocheck = () => rawExtension('1.3.6.1.5.5.7.48.1.5', tlv(0x05) as Der);

export interface Pki {
  root: Issued;
  ca: Issued;
  leaf: Issued;
}

/** Root → issuing CA → card certificate (serial 1000) with an OCSP URL (unless `url` is null). */
export async function ocspPki(url: string | null = OCSP_URL): Promise<Pki> {
  const root = await issue({ subject: 'OCSP Test Root', ca: true });
  const ca = await issue({ subject: 'OCSP Issuing CA', issuer: root, ca: true });
  const leaf = await issue({
    subject: 'Alice',
    issuer: ca,
    serial: 1000,
    eku: [LOGON],
    ...(url === null ? {} : { extra: [aia(url)] }),
  });
  return { root, ca, leaf };
}

/** A delegated responder of `ca`, by default with the EKU and without nocheck. */
export function responder(
  ca: Issued,
  options: {
    eku?: string[];
    nocheck?: boolean;
    issuer?: Issued;
    notAfter?: string;
    serial?: number;
  } = {},
) {
  return issue({
    subject: 'OCSP Responder',
    issuer: options.issuer ?? ca,
    eku: options.eku ?? [OCSP_SIGNING],
    keyUsage: ['digitalSignature'],
    ...(options.serial === undefined ? {} : { serial: options.serial }),
    ...(options.notAfter === undefined ? {} : { notAfter: options.notAfter }),
    ...(options.nocheck ? { extra: [nocheck()] } : {}),
  });
}

export interface Answer {
  /** The certificate asked about and its issuer (for the CertID). */
  cert: Issued;
  issuer: Issued;
  status?: 'good' | 'revoked' | 'unknown';
  /** Who signs: the issuer by default. */
  signer?: Issued;
  byKey?: boolean;
  /** Certificates sent along (DER). */
  certs?: Uint8Array[];
  thisUpdate?: string;
  /** `null` for none. */
  nextUpdate?: string | null;
  /** The nonce extension's extnValue contents to echo. */
  nonce?: Uint8Array;
  hash?: 'SHA-1' | 'SHA-256' | 'SHA-384';
}

const certificate = (der: Uint8Array) => pkijs.Certificate.fromBER(der.slice());

function statusOf(status: Answer['status']): asn1js.BaseBlock {
  if (status === 'revoked') {
    return new asn1js.Constructed({
      idBlock: { tagClass: 3, tagNumber: 1 },
      value: [
        new asn1js.GeneralizedTime({ valueDate: new Date('2030-03-01T00:00:00Z') }),
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [new asn1js.Enumerated({ value: 1 })],
        }),
      ],
    });
  }
  return new asn1js.Primitive({
    idBlock: { tagClass: 3, tagNumber: status === 'unknown' ? 2 : 0 },
  });
}

/** A successful basic OCSP response about `answer.cert`. */
export async function ocspResponse(answer: Answer): Promise<Uint8Array> {
  const signer = answer.signer ?? answer.issuer;
  const certID = await pkijs.CertID.create(certificate(answer.cert.der), {
    hashAlgorithm: answer.hash ?? 'SHA-1',
    issuerCertificate: certificate(answer.issuer.der),
  });
  const single = new pkijs.SingleResponse({
    certID,
    certStatus: statusOf(answer.status),
    thisUpdate: new Date(answer.thisUpdate ?? '2030-05-31T23:00:00Z'),
  });
  if (answer.nextUpdate !== null) {
    single.nextUpdate = new Date(answer.nextUpdate ?? '2030-06-01T23:00:00Z');
  }
  const signerCert = certificate(signer.der);
  const keyBits = signerCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  const responderID = answer.byKey
    ? new asn1js.OctetString({
        valueHex: await crypto.subtle.digest('SHA-1', new Uint8Array(keyBits)),
      })
    : signerCert.subject;
  const tbsResponseData = new pkijs.ResponseData({
    responderID,
    producedAt: new Date('2030-05-31T23:00:00Z'),
    responses: [single],
  });
  if (answer.nonce !== undefined) {
    tbsResponseData.responseExtensions = [
      new pkijs.Extension({
        extnID: '1.3.6.1.5.5.7.48.1.2',
        extnValue: answer.nonce.slice().buffer,
      }),
    ];
  }
  const basic = new pkijs.BasicOCSPResponse({ tbsResponseData });
  if (answer.certs !== undefined) basic.certs = answer.certs.map(certificate);
  await basic.sign(signer.keys.privateKey, 'SHA-256');
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: '1.3.6.1.5.5.7.48.1.1',
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

/** An OCSPResponse with only a status other than successful (3: tryLater). */
export function errorResponse(status: number): Uint8Array {
  return new Uint8Array([0x30, 0x03, 0x0a, 0x01, status]);
}

/** What a request asks, as pkijs reads it: the serial and the nonce extnValue contents. */
export function readRequest(body: Uint8Array): {
  serial: Uint8Array;
  hashOid: string;
  nonce?: Uint8Array;
} {
  const request = pkijs.OCSPRequest.fromBER(body.slice());
  const certId = request.tbsRequest.requestList[0]?.reqCert as pkijs.CertID;
  const nonce = request.tbsRequest.requestExtensions?.find(
    (extension) => extension.extnID === '1.3.6.1.5.5.7.48.1.2',
  );
  return {
    serial: certId.serialNumber.valueBlock.valueHexView,
    hashOid: certId.hashAlgorithm.algorithmId,
    ...(nonce === undefined ? {} : { nonce: nonce.extnValue.valueBlock.valueHexView }),
  };
}

/** A fetcher answering with `respond(request)`, counting the requests it was handed. */
export function fetcher(
  respond: (request: ReturnType<typeof readRequest>, url: string) => Promise<Uint8Array>,
) {
  const calls: string[] = [];
  const fetch = async ({ url, body }: { url: string; body: Uint8Array }) => {
    calls.push(url);
    return respond(readRequest(body), url);
  };
  return { fetch, calls };
}
