/**
 * The embedded certificate authority: {@link CertificateAuthority} and its options, request and
 * revocation types. Re-exported by `smartcard-2fa/enrollment`.
 *
 * @module
 */
export { CertificateAuthority } from './authority.js';
export type { RevocationReason } from './crl.js';
export type { CrlOptions } from './crl-series.js';
export type { Directory } from './directory.js';
export type { CertificateRequestInput } from './input.js';
export { type OcspHttpRequest, type OcspHttpResponse, ocspHttpHandler } from './ocsp-http.js';
export type { OcspResponder, OcspResponderOptions } from './ocsp-responder.js';
export type { CertificateAuthorityOptions, IssueOptions } from './options.js';
export type { CaPem } from './pem.js';
export type { CaKeyAlgorithm } from './signing-key.js';
export type { IssuableTemplate } from './templates.js';
export { KerberosAuthenticationTemplate } from './templates-kerberos.js';
