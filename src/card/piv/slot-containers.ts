/**
 * Containers the SDK did not make: a card enrolled by other software (a card management system,
 * `yubico-piv-tool`, Windows) holds certificates in its slots' certificate objects and nothing in
 * the SDK's container map. Each such slot is shown as a container named after it (`PIV slot 9A`),
 * its public key the certificate's, so that a card enrolled elsewhere signs in too. Only RSA-2048,
 * P-256 and P-384 keys are shown (the contract's algorithms a PIV card holds).
 */
import { SmartCardError } from '../../errors.js';
import { ApduError } from '../../lib/apdu.js';
import { certificateSpki, DerError } from '../../lib/der.js';
import type { KeyAlgorithmName } from '../contract/key-containers.js';
import type { MappedContainer } from './container-map.js';
import { certificateOf } from './data-objects.js';
import { KEY_REFERENCE } from './piv-constants.js';

/** The name of the container of a slot the SDK did not fill: `PIV slot 9A`. */
export function slotContainerName(slot: number): string {
  return `PIV slot ${slot.toString(16).toUpperCase()}`;
}

/** The curves of the EC keys shown, and their algorithms. */
const EC_ALGORITHMS: readonly [string, KeyAlgorithmName][] = [
  ['P-256', 'ECDSA-P256'],
  ['P-384', 'ECDSA-P384'],
];

/** The algorithm of `spki` as the contract names it, or `undefined` for any other key. */
async function algorithmOf(
  subtle: SubtleCrypto,
  spki: Uint8Array<ArrayBuffer>,
): Promise<KeyAlgorithmName | undefined> {
  try {
    const key = await subtle.importKey(
      'spki',
      spki,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      true,
      ['verify'],
    );
    const { modulusLength } = key.algorithm as RsaHashedKeyAlgorithm;
    return modulusLength === 2048 ? 'RSA-2048' : undefined;
  } catch {
    // not RSA
  }
  for (const [namedCurve, algorithm] of EC_ALGORITHMS) {
    try {
      await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve }, true, ['verify']);
      return algorithm;
    } catch {
      // not on this curve
    }
  }
  return undefined;
}

/**
 * The container of `slot` from its certificate object's value, or `undefined` when the
 * certificate is unreadable or its key not one the contract knows. Key management (9D) and
 * authentication (9A) RSA keys are `exchange` keys (they decrypt); the others sign only.
 */
export async function slotContainer(
  subtle: SubtleCrypto,
  slot: number,
  certificateValue: Uint8Array,
): Promise<MappedContainer | undefined> {
  let publicKey: Uint8Array<ArrayBuffer>;
  try {
    publicKey = new Uint8Array(certificateSpki(await certificateOf(certificateValue)));
  } catch (error) {
    if (error instanceof DerError || error instanceof ApduError || SmartCardError.is(error)) {
      return undefined; // not a certificate this card can be shown with
    }
    throw error;
  }
  const algorithm = await algorithmOf(subtle, publicKey);
  if (algorithm === undefined) return undefined;
  const decrypts =
    algorithm === 'RSA-2048' &&
    (slot === KEY_REFERENCE.AUTHENTICATION || slot === KEY_REFERENCE.KEY_MANAGEMENT);
  return {
    slot,
    name: slotContainerName(slot),
    keySpec: decrypts ? 'exchange' : 'signature',
    algorithm,
    friendlyName: undefined,
    publicKey,
  };
}
