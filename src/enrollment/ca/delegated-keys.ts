/**
 * Keys a CA hands one task to, each with its own certificate: a separate CRL-signing key (the
 * CA's name, cRLSign only; RFC 5280 §6.3.3 (f)) and a delegated OCSP responder (id-kp-OCSPSigning
 * and id-pkix-ocsp-nocheck; RFC 6960 §4.2.2.2). Internal.
 */
import type * as pkijs from 'pkijs';
import * as OCSP from '../../lib/ocsp-oids.js';
import { OID } from '../oids.js';
import { keyIdentifier } from './public-key.js';
import {
  type CaKeyAlgorithm,
  generateCaKeys,
  type SigningCa,
  signCertificate,
} from './signing-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  keyUsageExtension,
  ocspNoCheckExtension,
  randomSerial,
  subjectKeyIdentifierExtension,
} from './x509.js';

const SKEW_MS = 5 * 60_000;
const YEAR_MS = 365 * 86_400_000;

/** A new key certified by `parent` for one task. */
interface DelegatedKeyParams {
  readonly crypto: Crypto;
  readonly keyAlgorithm: CaKeyAlgorithm;
  readonly parent: SigningCa;
  readonly subject: pkijs.RelativeDistinguishedNames;
  readonly now: number;
  readonly notAfter: number;
  readonly extensions: readonly pkijs.Extension[];
}

async function delegateKey(params: DelegatedKeyParams): Promise<SigningCa> {
  const { crypto, parent } = params;
  const keys = await generateCaKeys(crypto, params.keyAlgorithm);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const id = await keyIdentifier(crypto, spki);
  const notAfter = Math.min(params.notAfter, parent.notAfter);
  const certificate = await signCertificate(parent, {
    serial: randomSerial(crypto),
    subject: params.subject,
    spki,
    notBefore: params.now - SKEW_MS,
    notAfter,
    extensions: [
      ...params.extensions,
      subjectKeyIdentifierExtension(id),
      authorityKeyIdentifierExtension(parent.keyIdentifier),
    ],
  });
  return {
    privateKey: keys.privateKey,
    certificate,
    name: params.subject,
    keyIdentifier: id,
    notAfter,
    engine: parent.engine,
  };
}

/**
 * A CRL-signing key of `ca`: a certificate with `ca`'s own name and a key of its own, issued by
 * `parent` (the root above an issuing CA; the root itself when the root issues, a self-issued
 * certificate), keyUsage cRLSign only. What it signs names `ca` as issuer and its own key in the
 * AKI.
 *
 * @category Certificate authority
 */
export async function createCrlSigner(params: {
  readonly crypto: Crypto;
  readonly keyAlgorithm: CaKeyAlgorithm;
  readonly ca: SigningCa;
  readonly parent: SigningCa;
  readonly now: number;
  /** Where `parent` publishes the CRL that covers this certificate, if it does. */
  readonly parentCrlUrl: string | undefined;
}): Promise<SigningCa> {
  return delegateKey({
    ...params,
    subject: params.ca.name,
    notAfter: params.ca.notAfter,
    extensions: [
      keyUsageExtension(['cRLSign']),
      ...(params.parentCrlUrl === undefined
        ? []
        : [crlDistributionPointsExtension(params.parentCrlUrl)]),
    ],
  });
}

/**
 * A delegated OCSP responder of `issuer` (RFC 6960 §4.2.2.2): an end-entity certificate issued by
 * `issuer`, EKU id-kp-OCSPSigning, id-pkix-ocsp-nocheck (relying parties do not ask about the
 * responder itself), digitalSignature, valid for `validityMs`.
 *
 * @category Certificate authority
 */
export async function createOcspDelegate(params: {
  readonly crypto: Crypto;
  readonly keyAlgorithm: CaKeyAlgorithm;
  readonly issuer: SigningCa;
  readonly commonName: string;
  readonly now: number;
  readonly validityMs: number;
}): Promise<SigningCa> {
  return delegateKey({
    ...params,
    parent: params.issuer,
    subject: distinguishedName([{ type: OID.commonName, value: params.commonName }]),
    notAfter: params.now + Math.min(params.validityMs, YEAR_MS),
    extensions: [
      basicConstraintsExtension(false),
      keyUsageExtension(['digitalSignature']),
      extendedKeyUsageExtension([OCSP.signingKeyPurpose]),
      ocspNoCheckExtension(),
    ],
  });
}
