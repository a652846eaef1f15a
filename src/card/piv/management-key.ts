/**
 * The PIV card's management key (key reference 9B) and the mutual authentication with it that
 * key generation and writes need (SP 800-73-4 part 2 appendix A.1, as YubiKeys answer): the card
 * sends a witness encrypted under the key, the host answers it decrypted together with a
 * challenge of its own, and the card answers the challenge encrypted, which the host checks.
 * The key never goes to the card; the exchanged blocks are masked in the trace.
 */
import { DeviceMismatchError, InvalidInputError } from '../../errors.js';
import { decodeObjects, encodeObject, objectValue, SW } from '../../lib/apdu.js';
import {
  type BlockCipherName,
  blockLength,
  decryptBlock,
  encryptBlock,
} from '../../lib/block-cipher.js';
import { concatBytes, constantTimeEqual } from '../../lib/bytes.js';
import { answered, type PivLink } from './link.js';
import { AUTH_TAG, INS, KEY_REFERENCE, PIV_ALGORITHM } from './piv-constants.js';

/**
 * A PIV card's management key, given to {@link PivSmartCard.open} to generate keys and write
 * certificates: its algorithm (3DES on YubiKeys before firmware 5.7 and most PIV cards,
 * AES-192 on newer YubiKeys) and its bytes (24 for 3DES and AES-192, 16 for AES-128, 32 for
 * AES-256).
 *
 * @example
 * ```ts
 * import { type ApduTransport, type PivManagementKey, PivSmartCard } from 'smartcard-2fa/card';
 *
 * declare const transport: ApduTransport;
 * declare const keyBytes: Uint8Array; // from your key store, never from source code
 * const managementKey: PivManagementKey = { algorithm: 'AES-192', key: keyBytes };
 * const card = await PivSmartCard.open(transport, { managementKey });
 * await card.verifyPin('123456');
 * const container = await card.generateKeyPair({ algorithm: 'ECDSA-P256' });
 * ```
 *
 * @category Cards
 */
export interface PivManagementKey {
  /** `3DES`, `AES-128`, `AES-192` or `AES-256`. */
  readonly algorithm: '3DES' | 'AES-128' | 'AES-192' | 'AES-256';
  /** The key's bytes. */
  readonly key: Uint8Array;
}

const ALGORITHMS = {
  '3DES': { id: PIV_ALGORITHM.TDES, cipher: '3DES', length: 24 },
  'AES-128': { id: PIV_ALGORITHM.AES_128, cipher: 'AES', length: 16 },
  'AES-192': { id: PIV_ALGORITHM.AES_192, cipher: 'AES', length: 24 },
  'AES-256': { id: PIV_ALGORITHM.AES_256, cipher: 'AES', length: 32 },
} as const satisfies Record<string, { id: number; cipher: BlockCipherName; length: number }>;

/** The management key option checked (copied, so later changes to the caller's bytes do not count). */
export function checkManagementKey(value: unknown): PivManagementKey | undefined {
  if (value === undefined) return undefined;
  const given = value as Partial<PivManagementKey> | null;
  const algorithm = ALGORITHMS[given?.algorithm as keyof typeof ALGORITHMS];
  if (typeof value !== 'object' || algorithm === undefined) {
    throw new InvalidInputError(
      'managementKey is { algorithm: "3DES" | "AES-128" | "AES-192" | "AES-256", key }.',
    );
  }
  if (!(given?.key instanceof Uint8Array) || given.key.length !== algorithm.length) {
    throw new InvalidInputError(
      `A ${given?.algorithm} management key is ${algorithm.length} bytes (a Uint8Array).`,
    );
  }
  return { algorithm: given.algorithm as PivManagementKey['algorithm'], key: given.key.slice() };
}

/** GENERAL AUTHENTICATE with 9B and `template`'s objects; answers the card's 7C contents. */
async function exchange(link: PivLink, algorithm: number, template: Uint8Array) {
  const data = encodeObject(AUTH_TAG.TEMPLATE, template);
  const p2 = KEY_REFERENCE.MANAGEMENT;
  const response = await link.send(
    { cla: 0, ins: INS.GENERAL_AUTHENTICATE, p1: algorithm, p2, data },
    { secret: true, secretAnswer: true },
  );
  if (response.sw === SW.SECURITY_STATUS || response.sw === SW.BLOCKED) {
    throw new InvalidInputError("The card refused the management key: it is not this card's.");
  }
  if (response.sw !== SW.OK) {
    throw new DeviceMismatchError(answered(response.sw, 'GENERAL AUTHENTICATE (9B)'));
  }
  const inner = objectValue(decodeObjects(response.data), AUTH_TAG.TEMPLATE);
  if (inner === undefined)
    throw new DeviceMismatchError('The card answered without a 7C template.');
  return decodeObjects(inner);
}

/**
 * Mutual authentication with the management key. Throws `PinRequiredError` when the card
 * refuses the key (a wrong key), `DeviceMismatchError` when it answers otherwise than PIV.
 */
export async function authenticateManagementKey(
  link: PivLink,
  crypto: Crypto,
  managementKey: PivManagementKey,
): Promise<void> {
  const { id, cipher } = ALGORITHMS[managementKey.algorithm];
  const size = blockLength(cipher);
  const first = await exchange(link, id, encodeObject(AUTH_TAG.WITNESS, new Uint8Array(0)));
  const witness = objectValue(first, AUTH_TAG.WITNESS);
  if (witness?.length !== size) throw new DeviceMismatchError('The card sent no witness block.');
  const subtle = crypto.subtle;
  const decrypted = await decryptBlock(subtle, cipher, managementKey.key, witness);
  const challenge = crypto.getRandomValues(new Uint8Array(size));
  const second = await exchange(
    link,
    id,
    concatBytes(
      encodeObject(AUTH_TAG.WITNESS, decrypted),
      encodeObject(AUTH_TAG.CHALLENGE, challenge),
    ),
  );
  const expected = await encryptBlock(subtle, cipher, managementKey.key, challenge);
  const answer = objectValue(second, AUTH_TAG.RESPONSE);
  if (answer === undefined || !constantTimeEqual(answer, expected)) {
    throw new DeviceMismatchError(
      'The card did not prove it holds the management key: it is not the card expected.',
    );
  }
}
