/**
 * The algorithms of a PIV management key on the test card: 3DES (algorithm 03) or
 * AES-128/192/256 (08, 0A, 0C), their key lengths, and which of lib's block ciphers each one
 * is. The blocks themselves are encrypted by lib/block-cipher.ts, as the client does.
 */
import { PIV_ALGORITHM } from '../../card/piv/piv-constants.js';
import { type BlockCipherName, blockLength } from '../../lib/block-cipher.js';

/** A management key's algorithm identifier. */
export type ManagementAlgorithm =
  | typeof PIV_ALGORITHM.TDES
  | typeof PIV_ALGORITHM.AES_128
  | typeof PIV_ALGORITHM.AES_192
  | typeof PIV_ALGORITHM.AES_256;

/** The key length of each management key algorithm. */
const KEY_LENGTHS: Readonly<Record<ManagementAlgorithm, number>> = {
  [PIV_ALGORITHM.TDES]: 24,
  [PIV_ALGORITHM.AES_128]: 16,
  [PIV_ALGORITHM.AES_192]: 24,
  [PIV_ALGORITHM.AES_256]: 32,
};

/** The management key algorithms by name. */
export const MANAGEMENT_ALGORITHM_BY_NAME = {
  '3DES': PIV_ALGORITHM.TDES,
  'AES-128': PIV_ALGORITHM.AES_128,
  'AES-192': PIV_ALGORITHM.AES_192,
  'AES-256': PIV_ALGORITHM.AES_256,
} as const satisfies Record<string, ManagementAlgorithm>;

/** Whether `value` is a management key algorithm this card knows. */
export function isManagementAlgorithm(value: number): value is ManagementAlgorithm {
  return value in KEY_LENGTHS;
}

/** The key length `algorithm` takes, in bytes. */
export function managementKeyLength(algorithm: ManagementAlgorithm): number {
  return KEY_LENGTHS[algorithm];
}

/** The block cipher of `algorithm`, as lib/block-cipher.ts names it. */
export function managementCipher(algorithm: ManagementAlgorithm): BlockCipherName {
  return algorithm === PIV_ALGORITHM.TDES ? '3DES' : 'AES';
}

/** The block length of `algorithm`: 8 for 3DES, 16 for AES. */
export function managementBlockLength(algorithm: ManagementAlgorithm): number {
  return blockLength(managementCipher(algorithm));
}
