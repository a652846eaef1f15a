/**
 * The `SmartCard` contract's checks of a request against what a card holds, shared by every
 * card that keeps key containers (the emulated chip and the PKCS#11 token), so that they refuse
 * alike, with the same error and words.
 */
import {
  CertificateInvalidError,
  CertificateMismatchError,
  InvalidInputError,
  KeyNotFoundError,
  KeyUsageError,
} from '../../errors.js';
import { DerError } from '../../lib/der.js';
import type { KeyAlgorithmName, KeySpec } from './smart-card.js';

/** What holds the containers, as the messages name it.
 *
 * @category Cards
 */
export type ContainerHolder = 'card' | 'token';

/**
 * Reads what `read` takes from a DER certificate; a certificate that is not DER (PEM text, say)
 * is refused with `CertificateInvalidError`.
 *
 * @example
 * ```ts
 * import { certificateSpki } from '../../lib/der.js';
 * import { readCertificate } from './request-checks.js';
 *
 * declare const der: Uint8Array; // the certificate the caller gave
 * const spki = readCertificate(der, certificateSpki);
 * ```
 *
 * @category Cards
 */
export function readCertificate<T>(der: Uint8Array, read: (der: Uint8Array) => T): T {
  try {
    return read(der);
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
    throw new CertificateInvalidError(
      `The certificate is not a DER X.509 certificate (${cause.message}). PEM text must be decoded to DER first.`,
      { cause },
    );
  }
}

/**
 * Refuses a certificate whose public key is not the container's (`CertificateMismatchError`).
 *
 * @example
 * ```ts
 * import { assertCertificateMatches } from './request-checks.js';
 *
 * declare function sameKey(spki: Uint8Array): Promise<boolean>; // the container's key's check
 * declare const spki: Uint8Array; // the certificate's public key
 * assertCertificateMatches(await sameKey(spki), 'my-container');
 * ```
 *
 * @category Cards
 */
export function assertCertificateMatches(matches: boolean, container: string): void {
  if (!matches) {
    throw new CertificateMismatchError(
      `The certificate's public key is not the key of container "${container}".`,
    );
  }
}

/**
 * Refuses a new container's name already in use (`InvalidInputError`).
 *
 * @example
 * ```ts
 * import { assertNameFree } from './request-checks.js';
 *
 * assertNameFree(['a', 'b'], 'c', 'card');
 * ```
 *
 * @category Cards
 */
export function assertNameFree(
  names: readonly string[],
  name: string,
  holder: ContainerHolder,
): void {
  if (names.includes(name)) {
    throw new InvalidInputError(`The ${holder} already has a container named "${name}".`);
  }
}

/**
 * The error for a container that is not there (`KeyNotFoundError`).
 *
 * @example
 * ```ts
 * import { noSuchContainer } from './request-checks.js';
 *
 * throw noSuchContainer('my-container', 'token');
 * ```
 *
 * @category Cards
 */
export function noSuchContainer(name: string, holder: ContainerHolder): KeyNotFoundError {
  return new KeyNotFoundError(`The ${holder} has no key container named "${String(name)}".`);
}

/**
 * Refuses to decrypt with a container whose key cannot (`KeyUsageError`: a signature key or an
 * ECDSA key), and a ciphertext not as long as the RSA modulus (`InvalidInputError`).
 *
 * @example
 * ```ts
 * import { assertCanDecrypt } from './request-checks.js';
 *
 * declare const ciphertext: Uint8Array; // 256 bytes for RSA-2048
 * assertCanDecrypt('my-container', 'exchange', 'RSA-2048', ciphertext);
 * ```
 *
 * @category Cards
 */
export function assertCanDecrypt(
  container: string,
  keySpec: KeySpec,
  algorithm: KeyAlgorithmName,
  ciphertext: Uint8Array,
): void {
  if (keySpec !== 'exchange' || !algorithm.startsWith('RSA')) {
    throw new KeyUsageError(
      keySpec !== 'exchange'
        ? `Container "${container}" holds a signature key, which cannot decrypt.`
        : `Container "${container}" holds an ECDSA key, which cannot decrypt.`,
    );
  }
  if (ciphertext.length !== Number(algorithm.slice(4)) / 8) {
    throw new InvalidInputError('The ciphertext is not as long as the key modulus.');
  }
}
