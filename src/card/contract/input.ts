import { InvalidInputError } from '../../errors.js';
import { toHex } from '../../lib/bytes.js';
import { HASHES, KEY_ALGORITHMS } from '../chip/key-material.js';
import type { GenerateKeyPairOptions, HashName, KeyAlgorithmName, KeySpec } from './smart-card.js';

/** Most bytes `sign` takes: the card hashes them itself, like PKCS#11's CKM_SHA256_RSA_PKCS.
 *
 * @category Cards
 */
export const MAX_SIGN_BYTES = 1 << 20;
/** Most bytes of a certificate a card stores (real cards hold a few kilobytes per container).
 *
 * @category Cards
 */
export const MAX_CERTIFICATE_BYTES = 16 * 1024;

const CONTAINER_NAME = /^[\x20-\x7e]{1,64}$/;

export function containerName(value: unknown): string {
  if (typeof value !== 'string' || !CONTAINER_NAME.test(value) || value.trim() !== value) {
    throw new InvalidInputError(
      'A container name is 1 to 64 printable ASCII characters, not starting or ending with a space.',
    );
  }
  return value;
}

export function friendlyName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const control = typeof value === 'string' && [...value].some((c) => c.charCodeAt(0) < 0x20);
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || control) {
    throw new InvalidInputError(
      'A friendly name is 1 to 128 characters, without control characters.',
    );
  }
  return value;
}

export function bytes(value: unknown, name: string, max: number): Uint8Array<ArrayBuffer> {
  if (!(value instanceof Uint8Array)) throw new InvalidInputError(`${name} must be a Uint8Array.`);
  if (value.length > max) throw new InvalidInputError(`${name} is larger than ${max} bytes.`);
  return new Uint8Array(value);
}

export function hashName(value: unknown, allowed: readonly HashName[] = HASHES): HashName {
  const hash = value ?? 'SHA-256';
  if (!allowed.includes(hash as HashName)) {
    throw new InvalidInputError(`hash must be one of ${allowed.join(', ')}.`);
  }
  return hash as HashName;
}

export function options<T extends object>(value: unknown, name: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${name} must be an object.`);
  }
  return value as Partial<T>;
}

export function keyPairOptions(value: unknown): {
  container: string | undefined;
  algorithm: KeyAlgorithmName;
  keySpec: KeySpec;
  friendlyName: string | undefined;
} {
  const checked = options<GenerateKeyPairOptions>(value, 'generateKeyPair options');
  const algorithm = checked.algorithm ?? 'RSA-2048';
  if (!KEY_ALGORITHMS.includes(algorithm)) {
    throw new InvalidInputError(`algorithm must be one of ${KEY_ALGORITHMS.join(', ')}.`);
  }
  const keySpec = checked.keySpec ?? 'exchange';
  if (keySpec !== 'exchange' && keySpec !== 'signature') {
    throw new InvalidInputError('keySpec must be "exchange" or "signature".');
  }
  return {
    container: checked.container === undefined ? undefined : containerName(checked.container),
    algorithm,
    keySpec,
    friendlyName: friendlyName(checked.friendlyName),
  };
}

/** A new automatic container name, shaped like the GUIDs Windows gives key containers.
 *
 * @category Cards
 */
export function automaticName(crypto: Crypto): string {
  const hex = toHex(crypto.getRandomValues(new Uint8Array(16)));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
