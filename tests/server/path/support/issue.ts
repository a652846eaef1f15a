/**
 * Certificates and CRLs for the path validation tests, issued with pkijs (a second
 * implementation, not the SDK's writer): ECDSA P-256 keys, names as one CN, every extension
 * the tests vary.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const LOGON = '1.3.6.1.4.1.311.20.2.2';
export const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const NOW = new Date('2030-06-01T00:00:00Z');
export const KU = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

export interface Issued {
  der: Uint8Array;
  keys: CryptoKeyPair;
  name: string;
  ski: Uint8Array;
}

export interface IssueOptions {
  subject: string;
  issuer?: Issued;
  keys?: CryptoKeyPair;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: (keyof typeof KU)[];
  eku?: string[];
  notBefore?: string;
  notAfter?: string;
  extra?: pkijs.Extension[];
  serial?: number;
  ski?: Uint8Array;
  aki?: boolean;
  /** The subject as written, in place of a UTF8String CN of `subject`. */
  subjectName?: pkijs.RelativeDistinguishedNames;
  /** The issuer as written, in place of the issuer's name as a UTF8String CN. */
  issuerName?: pkijs.RelativeDistinguishedNames;
}

export const newKeys = () =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;

export const ext = (
  extnID: string,
  value: asn1js.BaseBlock | { toSchema(): asn1js.BaseBlock },
  critical = false,
) =>
  new pkijs.Extension({
    extnID,
    critical,
    extnValue: ('toSchema' in value ? value.toSchema() : value).toBER(false),
  });

function keyUsageBits(names: (keyof typeof KU)[]): asn1js.BitString {
  const bits = names.map((name) => KU[name]);
  const bytes = new Uint8Array(Math.floor(Math.max(...bits) / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 7 - (Math.max(...bits) & 7) });
}

export const distinguished = (cn: string) =>
  new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.3',
        value: new asn1js.Utf8String({ value: cn }),
      }),
    ],
  });

let serials = 1;

export async function issue(o: IssueOptions): Promise<Issued> {
  const keys = o.keys ?? (await newKeys());
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: o.serial ?? serials++ });
  cert.subject = o.subjectName ?? distinguished(o.subject);
  cert.issuer =
    o.issuerName ?? (o.issuer === undefined ? cert.subject : distinguished(o.issuer.name));
  cert.notBefore.value = new Date(o.notBefore ?? '2026-01-01T00:00:00Z');
  cert.notAfter.value = new Date(o.notAfter ?? '2036-01-01T00:00:00Z');
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  const bits = cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  const ski = o.ski ?? new Uint8Array(await crypto.subtle.digest('SHA-1', new Uint8Array(bits)));
  const ca = o.ca ?? false;
  const extensions = [ext('2.5.29.14', new asn1js.OctetString({ valueHex: ski.slice().buffer }))];
  if (o.issuer !== undefined && o.aki !== false) {
    const keyIdentifier = new asn1js.OctetString({ valueHex: o.issuer.ski.slice().buffer });
    extensions.push(ext('2.5.29.35', new pkijs.AuthorityKeyIdentifier({ keyIdentifier })));
  }
  if (ca) {
    const basic = new pkijs.BasicConstraints({
      cA: true,
      ...(o.pathLen === undefined ? {} : { pathLenConstraint: o.pathLen }),
    });
    extensions.push(ext('2.5.29.19', basic, true));
  }
  const usage = o.keyUsage ?? (ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']);
  extensions.push(ext('2.5.29.15', keyUsageBits(usage), true));
  if (!ca || o.eku !== undefined)
    extensions.push(ext('2.5.29.37', new pkijs.ExtKeyUsage({ keyPurposes: o.eku ?? [LOGON] })));
  cert.extensions = [...extensions, ...(o.extra ?? [])];
  await cert.sign((o.issuer?.keys ?? keys).privateKey, 'SHA-256');
  return { der: new Uint8Array(cert.toSchema().toBER()), keys, name: o.subject, ski };
}

/** What a test may add to a CRL; without it, `crl` writes what it always did. */
export interface CrlOptions {
  /** The cRLNumber (1 by default). */
  number?: number;
  /** Extensions after the cRLNumber: an issuing distribution point, a delta CRL indicator. */
  extra?: pkijs.Extension[];
  /** The CRLReason of a revoked serial, by serial. */
  reasons?: Record<number, number>;
  /** More entry extensions (a certificateIssuer), by the entry's index in `revoked`. */
  entryExtensions?: Record<number, pkijs.Extension[]>;
}

export async function crl(
  issuer: Issued,
  revoked: number[],
  nextUpdate = '2031-01-01T00:00:00Z',
  signer = issuer.keys,
  issuerName = distinguished(issuer.name),
  options: CrlOptions = {},
) {
  const list = new pkijs.CertificateRevocationList();
  list.version = 1;
  list.issuer = issuerName;
  list.thisUpdate = new pkijs.Time({ type: 0, value: new Date('2030-01-01T00:00:00Z') });
  list.nextUpdate = new pkijs.Time({ type: 0, value: new Date(nextUpdate) });
  if (revoked.length > 0) {
    list.revokedCertificates = revoked.map((serial, index) => {
      const extensions = [
        ...(options.reasons?.[serial] === undefined
          ? []
          : [ext('2.5.29.21', new asn1js.Enumerated({ value: options.reasons[serial] }))]),
        ...(options.entryExtensions?.[index] ?? []),
      ];
      return new pkijs.RevokedCertificate({
        userCertificate: new asn1js.Integer({ value: serial }),
        revocationDate: new pkijs.Time({ type: 0, value: new Date('2030-02-01T00:00:00Z') }),
        ...(extensions.length === 0
          ? {}
          : { crlEntryExtensions: new pkijs.Extensions({ extensions }) }),
      });
    });
  }
  list.crlExtensions = new pkijs.Extensions({
    extensions: [
      ext('2.5.29.20', new asn1js.Integer({ value: options.number ?? 1 })),
      ...(options.extra ?? []),
    ],
  });
  await list.sign(signer.privateKey, 'SHA-256');
  return new Uint8Array(list.toSchema().toBER());
}
