/**
 * The PIV key slots the SDK's containers live in, and key generation in them: GENERATE
 * ASYMMETRIC KEY PAIR (SP 800-73-4 part 2 §3.3.2) and its answer, the public key (7F49), as DER
 * SubjectPublicKeyInfo.
 *
 * Containers map to slots in this order: 9A (PIV Authentication: what a sign-in and OpenSC's
 * "PIV AUTH key" use), 9D (Key Management), 9E (Card Authentication), 9C (Digital Signature,
 * last: real cards ask the PIN again before each of its signatures). A card holds four
 * containers; the retired key management slots (82 to 95) are not used.
 */
import { CardFullError, DeviceMismatchError } from '../../errors.js';
import { decodeObjects, encodeObject, objectValue, SW } from '../../lib/apdu.js';
import { bitString, integer, nullValue, oid, sequence } from '../../lib/der-write.js';
import type { KeyAlgorithmName } from '../contract/key-containers.js';
import { answered, type PivLink } from './link.js';
import { INS, KEY_REFERENCE, KEY_TAG, PIV_ALGORITHM } from './piv-constants.js';

/** The slots containers take, in the order they are given out. */
export const CONTAINER_SLOTS: readonly number[] = [
  KEY_REFERENCE.AUTHENTICATION,
  KEY_REFERENCE.KEY_MANAGEMENT,
  KEY_REFERENCE.CARD_AUTHENTICATION,
  KEY_REFERENCE.SIGNATURE,
];

/** The algorithms a PIV card generates for the contract, and their PIV identifiers. */
export const PIV_KEY_ALGORITHMS: Readonly<Partial<Record<KeyAlgorithmName, number>>> = {
  'RSA-2048': PIV_ALGORITHM.RSA_2048,
  'ECDSA-P256': PIV_ALGORITHM.ECC_P256,
  'ECDSA-P384': PIV_ALGORITHM.ECC_P384,
};

/** The first slot none of `used` holds; `CardFullError` when all four are taken. */
export function freeSlot(used: readonly number[]): number {
  const slot = CONTAINER_SLOTS.find((candidate) => !used.includes(candidate));
  if (slot === undefined) {
    throw new CardFullError(
      'The PIV card has no free key slot: its four containers (9A, 9D, 9E, 9C) are in use.',
    );
  }
  return slot;
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** The named curves' OIDs and their coordinates' length in bytes. */
const CURVES: Readonly<Partial<Record<KeyAlgorithmName, { oid: string; size: number }>>> = {
  'ECDSA-P256': { oid: '1.2.840.10045.3.1.7', size: 32 },
  'ECDSA-P384': { oid: '1.3.132.0.34', size: 48 },
};

/** The length in bytes of a coordinate of `algorithm`'s curve, or `undefined` for RSA. */
export function coordinateBytes(algorithm: KeyAlgorithmName): number | undefined {
  return CURVES[algorithm]?.size;
}

/** The SubjectPublicKeyInfo of the public key template (7F49's contents) for `algorithm`. */
export function publicKeySpki(
  algorithm: KeyAlgorithmName,
  template: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const parts = decodeObjects(template);
  const curve = CURVES[algorithm];
  if (curve !== undefined) {
    const point = objectValue(parts, KEY_TAG.POINT);
    if (point?.length !== 1 + 2 * curve.size || point[0] !== 0x04) {
      throw new DeviceMismatchError(
        `The card answered no uncompressed ${algorithm.slice(6)} point.`,
      );
    }
    return sequence(sequence(oid(EC_PUBLIC_KEY), oid(curve.oid)), bitString(point));
  }
  const modulus = objectValue(parts, KEY_TAG.MODULUS);
  const exponent = objectValue(parts, KEY_TAG.EXPONENT);
  if (modulus === undefined || exponent === undefined || modulus.length < 256) {
    throw new DeviceMismatchError('The card answered no RSA-2048 modulus and exponent.');
  }
  return sequence(
    sequence(oid(RSA_ENCRYPTION), nullValue()),
    bitString(sequence(integer(modulus), integer(exponent))),
  );
}

/**
 * GENERATE ASYMMETRIC KEY PAIR in `slot` (the management key authenticated before); answers
 * the new public key as SPKI. The card replaces whatever key the slot held.
 */
export async function generateInSlot(
  link: PivLink,
  slot: number,
  algorithm: KeyAlgorithmName,
): Promise<Uint8Array<ArrayBuffer>> {
  const id = PIV_KEY_ALGORITHMS[algorithm] as number;
  const data = encodeObject(
    KEY_TAG.CONTROL_TEMPLATE,
    encodeObject(KEY_TAG.ALGORITHM, Uint8Array.of(id)),
  );
  const command = { cla: 0, ins: INS.GENERATE_ASYMMETRIC_KEY_PAIR, p1: 0, p2: slot, data };
  const response = await link.send(command);
  if (response.sw !== SW.OK) {
    throw new DeviceMismatchError(answered(response.sw, 'GENERATE ASYMMETRIC KEY PAIR'));
  }
  const template = objectValue(decodeObjects(response.data), KEY_TAG.PUBLIC_KEY);
  if (template === undefined) throw new DeviceMismatchError('The card answered no public key.');
  return publicKeySpki(algorithm, template);
}
