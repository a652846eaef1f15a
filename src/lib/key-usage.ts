/**
 * The X.509 keyUsage bits by name (RFC 5280 §4.2.1.3): what a certificate template sets, and
 * what path validation reads and requires. The one list of them; `./session` re-exports the
 * type.
 */

/**
 * A bit of the X.509 keyUsage extension (RFC 5280 §4.2.1.3), by name: what a certificate
 * template sets, and what path validation can require.
 *
 * @example
 * ```ts
 * import type { KeyUsageName } from 'smartcard-2fa/enrollment';
 *
 * const signIn: KeyUsageName[] = ['digitalSignature'];
 * ```
 *
 * @category Enrollment
 */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/**
 * The key usage names in BIT STRING order: a name's index is its bit. Internal.
 *
 * @category Enrollment
 */
export const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** Whether `value` is a key usage name. Internal.
 *
 * @category Enrollment
 */
export function isKeyUsageName(value: unknown): value is KeyUsageName {
  return typeof value === 'string' && (KEY_USAGE_BITS as readonly string[]).includes(value);
}
