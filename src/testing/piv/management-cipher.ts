/**
 * The block cipher of a PIV management key: 3DES (algorithm 03, 8-byte blocks) or AES-128/192/256
 * (08, 0A, 0C; 16-byte blocks), one block at a time in ECB, as the mutual authentication uses it.
 * AES comes from WebCrypto (one AES-CBC block under a zero IV is one ECB block); 3DES from des.ts.
 */
import { PIV_ALGORITHM } from '../../card/piv/piv-constants.js';
import { tripleDesEncrypt } from './des.js';

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

/** The block length of `algorithm`: 8 for 3DES, 16 for AES. */
export function managementBlockLength(algorithm: ManagementAlgorithm): number {
  return algorithm === PIV_ALGORITHM.TDES ? 8 : 16;
}

/** Encrypts one block with the management key (ECB). */
export async function encryptManagementBlock(
  crypto: Crypto,
  algorithm: ManagementAlgorithm,
  key: Uint8Array<ArrayBuffer>,
  block: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  if (block.length !== managementBlockLength(algorithm)) {
    throw new RangeError('the block length does not match the management key algorithm');
  }
  if (algorithm === PIV_ALGORITHM.TDES) return tripleDesEncrypt(key, block);
  const aes = await crypto.subtle.importKey('raw', key, { name: 'AES-CBC' }, false, ['encrypt']);
  const zeroIv = new Uint8Array(16);
  const encrypted = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: zeroIv }, aes, block);
  return new Uint8Array(encrypted, 0, 16).slice();
}
