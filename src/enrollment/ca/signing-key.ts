/**
 * A CA's signing identity: a non-extractable WebCrypto key pair, its certificate, and how to
 * sign a certificate with it. Root and issuing CAs are made here. Internal.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { HashName, KeyAlgorithmName } from '../../card/contract/smart-card.js';
import { OID } from '../oids.js';
import { certificatePoliciesExtension } from './certificate-policies.js';
import { keyIdentifier } from './public-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  distinguishedName,
  keyUsageExtension,
  randomSerial,
  subjectKeyIdentifierExtension,
  x509Time,
} from './x509.js';

/**
 * The key algorithms a `CertificateAuthority` can have: RSA 2048 (the default, as AD CS), ECDSA
 * on P-256 (made in milliseconds: good for tests) or on P-384 (signing with SHA-384, as CNSA
 * and RFC 5480 pair them).
 *
 * @example
 * ```ts
 * import { type CaKeyAlgorithm, CertificateAuthority } from 'smartcard-2fa/enrollment';
 *
 * const keyAlgorithm: CaKeyAlgorithm = 'ECDSA-P256';
 * const ca = await CertificateAuthority.create({ keyAlgorithm, directory: [] });
 * console.log(ca.pem.root.startsWith('-----BEGIN CERTIFICATE-----')); // true
 * ```
 *
 * @category Certificate authority
 */
export type CaKeyAlgorithm = 'RSA-2048' | 'ECDSA-P256' | 'ECDSA-P384';

/**
 * How a CA key signs: its algorithm's name and the hash paired with it (SHA-384 for P-384,
 * SHA-256 otherwise).
 *
 * @category Certificate authority
 */
export function caSignatureOf(key: CryptoKey): { kind: KeyAlgorithmName; hash: HashName } {
  const curve = (key.algorithm as Partial<EcKeyAlgorithm>).namedCurve;
  if (key.algorithm.name !== 'ECDSA') return { kind: 'RSA-2048', hash: 'SHA-256' };
  return curve === 'P-384'
    ? { kind: 'ECDSA-P384', hash: 'SHA-384' }
    : { kind: 'ECDSA-P256', hash: 'SHA-256' };
}

/** A CA that signs: its keys, its certificate and what issued certificates point at.
 *
 * @category Certificate authority
 */
export interface SigningCa {
  readonly privateKey: CryptoKey;
  /** Its certificate, DER. */
  readonly certificate: Uint8Array<ArrayBuffer>;
  /** Its subject: the issuer of what it signs. */
  readonly name: pkijs.RelativeDistinguishedNames;
  /** Its key identifier: the AKI of what it signs. */
  readonly keyIdentifier: Uint8Array<ArrayBuffer>;
  /** When its certificate expires (ms); nothing it signs outlives it. */
  readonly notAfter: number;
  /** pkijs's engine over the CA's WebCrypto. */
  readonly engine: pkijs.ICryptoEngine;
}

/** What goes into a certificate the CA signs.
 *
 * @category Certificate authority
 */
export interface CertificateContent {
  readonly serial: Uint8Array<ArrayBuffer>;
  readonly subject: pkijs.RelativeDistinguishedNames;
  readonly spki: Uint8Array;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly extensions: readonly pkijs.Extension[];
}

/** Signs an X.509 v3 certificate with SHA-256, or SHA-384 for a P-384 key (never pkijs's SHA-1
 * default).
 *
 * @category Certificate authority
 */
export async function signCertificate(
  issuer: Pick<SigningCa, 'privateKey' | 'name' | 'engine'>,
  content: CertificateContent,
): Promise<Uint8Array<ArrayBuffer>> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: content.serial });
  certificate.issuer = issuer.name;
  certificate.subject = content.subject;
  certificate.notBefore = x509Time(content.notBefore);
  certificate.notAfter = x509Time(content.notAfter);
  certificate.subjectPublicKeyInfo = new pkijs.PublicKeyInfo({
    schema: asn1js.fromBER(content.spki.slice()).result,
  });
  certificate.extensions = [...content.extensions];
  await certificate.sign(issuer.privateKey, caSignatureOf(issuer.privateKey).hash, issuer.engine);
  return new Uint8Array(certificate.toSchema().toBER());
}

const CA_SKEW_MS = 5 * 60_000;
const YEAR_MS = 365 * 86_400_000;

/** What a new CA needs: a common name, its lifetime, and its parent (none for a root).
 *
 * @category Certificate authority
 */
export interface NewCaParams {
  readonly crypto: Crypto;
  readonly keyAlgorithm: CaKeyAlgorithm;
  readonly commonName: string;
  readonly now: number;
  readonly years: number;
  readonly parent?: SigningCa;
  /** For a CA under `parent`: where the parent publishes its CRL. */
  readonly parentCrlUrl?: string;
  /** Certificate policies its certificate asserts (none: no extension). */
  readonly policies?: readonly string[];
}

/** A key pair of `keyAlgorithm` whose private half is not extractable.
 *
 * @category Certificate authority
 */
export async function generateCaKeys(
  crypto: Crypto,
  keyAlgorithm: CaKeyAlgorithm,
): Promise<CryptoKeyPair> {
  const algorithm: RsaHashedKeyGenParams | EcKeyGenParams =
    keyAlgorithm === 'RSA-2048'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        }
      : { name: 'ECDSA', namedCurve: keyAlgorithm === 'ECDSA-P384' ? 'P-384' : 'P-256' };
  return (await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify'])) as CryptoKeyPair;
}

/** Generates a CA key pair (private half not extractable) and certifies it.
 *
 * @category Certificate authority
 */
export async function createSigningCa(params: NewCaParams): Promise<SigningCa> {
  const { crypto, parent } = params;
  const keys = await generateCaKeys(crypto, params.keyAlgorithm);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const id = await keyIdentifier(crypto, spki);
  const name = distinguishedName([{ type: OID.commonName, value: params.commonName }]);
  const engine = parent?.engine ?? new pkijs.CryptoEngine({ name: 'smartcard-2fa', crypto });
  const notBefore = params.now - CA_SKEW_MS;
  const notAfter = Math.min(params.now + params.years * YEAR_MS, parent?.notAfter ?? Infinity);
  const extensions = [
    basicConstraintsExtension(true, parent === undefined ? undefined : 0),
    keyUsageExtension(['digitalSignature', 'keyCertSign', 'cRLSign']),
    subjectKeyIdentifierExtension(id),
  ];
  if (parent !== undefined) extensions.push(authorityKeyIdentifierExtension(parent.keyIdentifier));
  if (params.parentCrlUrl !== undefined) {
    extensions.push(crlDistributionPointsExtension(params.parentCrlUrl));
  }
  if (params.policies !== undefined && params.policies.length > 0) {
    extensions.push(certificatePoliciesExtension(params.policies));
  }
  const issuer = parent ?? { privateKey: keys.privateKey, name, engine };
  const certificate = await signCertificate(issuer, {
    serial: randomSerial(crypto),
    subject: name,
    spki,
    notBefore,
    notAfter,
    extensions,
  });
  return { privateKey: keys.privateKey, certificate, name, keyIdentifier: id, notAfter, engine };
}

/** A root, and an issuing CA under it when `issuingName` is given (else the root issues).
 *
 * @category Certificate authority
 */
export async function createHierarchy(params: {
  readonly crypto: Crypto;
  readonly keyAlgorithm: CaKeyAlgorithm;
  readonly rootName: string;
  readonly issuingName: string | undefined;
  readonly rootCrlUrl: string;
  readonly now: number;
  /** Certificate policies of the issuing CA's certificate (never the root's); none by default. */
  readonly policies?: readonly string[];
}): Promise<{ readonly root: SigningCa; readonly issuer: SigningCa }> {
  const { crypto, keyAlgorithm, now, issuingName } = params;
  const root = await createSigningCa({
    crypto,
    keyAlgorithm,
    now,
    commonName: params.rootName,
    years: 20,
  });
  if (issuingName === undefined) return { root, issuer: root };
  const issuer = await createSigningCa({
    crypto,
    keyAlgorithm,
    now,
    commonName: issuingName,
    years: 10,
    parent: root,
    parentCrlUrl: params.rootCrlUrl,
    ...(params.policies === undefined ? {} : { policies: params.policies }),
  });
  return { root, issuer };
}
