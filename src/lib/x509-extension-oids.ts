/**
 * The X.509 v3 extensions (RFC 5280 §4.2, and PKIX's authorityInfoAccess) the SDK writes or
 * reads, by name: the one table of their OIDs, for the embedded CA, the enrollment requests and
 * the certificate summary, and path validation. Import it as a namespace
 * (`import * as EXTENSION from '../lib/x509-extension-oids.js'`, then `EXTENSION.keyUsage`): a
 * bundler then keeps only the OIDs a bundle uses, so a browser enrollment client carries none of
 * the CA's or the validator's. id-pkix-ocsp-nocheck is with the other OCSP OIDs, in
 * ocsp-oids.ts. Internal: never exported from the package.
 */

export const subjectKeyIdentifier = '2.5.29.14';
export const keyUsage = '2.5.29.15';
export const subjectAltName = '2.5.29.17';
export const basicConstraints = '2.5.29.19';
export const nameConstraints = '2.5.29.30';
export const crlDistributionPoints = '2.5.29.31';
export const certificatePolicies = '2.5.29.32';
export const policyMappings = '2.5.29.33';
export const authorityKeyIdentifier = '2.5.29.35';
export const policyConstraints = '2.5.29.36';
export const extKeyUsage = '2.5.29.37';
export const inhibitAnyPolicy = '2.5.29.54';
export const authorityInfoAccess = '1.3.6.1.5.5.7.1.1';
/** szOID_NTDS_CA_SECURITY_EXT: the user's SID, for strong certificate mapping (KB5014754). */
export const securityIdentifier = '1.3.6.1.4.1.311.25.2';

// CRL and CRL entry extensions (RFC 5280 §5.2, §5.3).
export const cRLNumber = '2.5.29.20';
export const reasonCode = '2.5.29.21';
export const invalidityDate = '2.5.29.24';
export const deltaCRLIndicator = '2.5.29.27';
export const issuingDistributionPoint = '2.5.29.28';
export const certificateIssuer = '2.5.29.29';
