/**
 * PEM text of the CA's certificates. Internal, but {@link CaPem} is public.
 */

/**
 * The CA's certificates as PEM.
 *
 * @example
 * ```ts
 * import type { CaPem } from 'smartcard-2fa/enrollment';
 *
 * const trustStore = (pem: CaPem) => pem.root;
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
