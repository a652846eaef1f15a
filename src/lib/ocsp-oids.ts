/**
 * The OCSP OIDs (RFC 6960, RFC 5280 §4.2.2.1), by name: the one table of them, for the embedded
 * CA's responder and delegated responder certificates, and the server's OCSP client. Import it
 * as a namespace (`import * as OCSP from '../lib/ocsp-oids.js'`, then `OCSP.nonce`), as
 * x509-extension-oids.ts is. Internal: never exported from the package.
 */

/** id-ad-ocsp: the access method of an authorityInfoAccess entry that names a responder. */
export const accessMethod = '1.3.6.1.5.5.7.48.1';

/** id-pkix-ocsp-basic: the one response type there is (RFC 6960 §4.2.1). */
export const basicResponse = '1.3.6.1.5.5.7.48.1.1';

/** id-pkix-ocsp-nonce (RFC 6960 §4.4.1, RFC 8954): a request's and its response's extension. */
export const nonce = '1.3.6.1.5.5.7.48.1.2';

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): a delegated responder's status is not checked. */
export const noCheck = '1.3.6.1.5.5.7.48.1.5';

/** id-kp-OCSPSigning (RFC 6960 §4.2.2.2): the extended key usage of a delegated responder. */
export const signingKeyPurpose = '1.3.6.1.5.5.7.3.9';
