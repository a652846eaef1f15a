/**
 * PEM text of the CA's certificates. Internal, but {@link CaPem} is public.
 */

/**
 * The CA's certificates as PEM.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import type { CaPem, CertificateAuthority } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * const pem: CaPem = ca.pem;
 * writeFileSync('root-ca.pem', pem.root); // what the sign-in servers trust
 * writeFileSync('ca-chain.pem', pem.chain); // what clients send with their certificate
 * ```
 *
 * @category Certificate authority
 */
export interface CaPem {
  /** The root certificate. */
  readonly root: string;
  /** The issuing certificate (the root itself when the CA has no issuing CA). */
  readonly issuer: string;
  /** The certificates of `chain`, issuer first, ending with the root, concatenated. */
  readonly chain: string;
}
