/**
 * The X.509 keyUsage bits by name (RFC 5280 §4.2.1.3): what a certificate template sets, and
 * what path validation reads and requires. The one list of them; `./enrollment` and `./server`
 * export the type.
 */

/**
 * A bit of the X.509 keyUsage extension (RFC 5280 §4.2.1.3), by name: what a certificate
 * template sets, and what path validation can require.
 *
 * @example
 * ```ts
 * import type { KeyUsageName } from 'smartcard-2fa/server';
 * import { validateCertificatePath } from 'smartcard-2fa/server';
 *
 * declare const leaf: Uint8Array, root: Uint8Array;
 * const requiredKeyUsage: KeyUsageName[] = ['digitalSignature'];
 * const result = await validateCertificatePath({ leaf, trustAnchors: [root], requiredKeyUsage });
 * if (!result.valid && result.reason === 'key-usage') console.log(result.detail);
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
