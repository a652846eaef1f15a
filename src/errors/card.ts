// Faults of a card and its key containers.
import { SmartCardError } from './smart-card-error.js';

/**
 * The card is not in a reader, or was removed while an operation ran. The card is as it was
 * before the operation.
 *
 * @example
 * ```ts
 * import { CardRemovedError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * try {
 *   await card.generateKeyPair();
 * } catch (error) {
 *   if (!(error instanceof CardRemovedError)) throw error;
 *   console.log('The card was taken out. Insert it again and retry: nothing was changed.');
 * }
 * ```
 *
 * @category Errors
 */
export class CardRemovedError extends SmartCardError {
  /** The code of every `CardRemovedError`. */
  static readonly code = 'ERR_CARD_REMOVED' as const;
  readonly code = CardRemovedError.code;
}

/**
 * No key container of that name is on the card.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * async function certificateOf(container: string): Promise<Uint8Array | null> {
 *   try {
 *     return await card.certificate(container);
 *   } catch (error) {
 *     if (SmartCardError.is(error, 'ERR_KEY_NOT_FOUND')) return null; // deleted since listed
 *     throw error;
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export class KeyNotFoundError extends SmartCardError {
  /** The code of every `KeyNotFoundError`. */
  static readonly code = 'ERR_KEY_NOT_FOUND' as const;
  readonly code = KeyNotFoundError.code;
}

/**
 * The key may not be used so: a `signature` key asked to decrypt, or an ECDSA key asked to
 * decrypt.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * declare const ciphertext: Uint8Array<ArrayBuffer>;
 * const [container] = await card.containers();
 * try {
 *   if (container !== undefined) await card.decrypt(container.name, ciphertext);
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_KEY_USAGE')) throw error;
 *   console.log(`${container?.name} is a signature key: enroll an exchange key to decrypt.`);
 * }
 * ```
 *
 * @category Errors
 */
export class KeyUsageError extends SmartCardError {
  /** The code of every `KeyUsageError`. */
  static readonly code = 'ERR_KEY_USAGE' as const;
  readonly code = KeyUsageError.code;
}

/**
 * The card holds as many key containers as it can. Delete one, or use another card.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * try {
 *   await card.generateKeyPair({ keySpec: 'signature' });
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_CARD_FULL')) throw error;
 *   const containers = await card.containers();
 *   console.log(`The card is full (${containers.length} key sets): delete one first.`);
 * }
 * ```
 *
 * @category Errors
 */
export class CardFullError extends SmartCardError {
  /** The code of every `CardFullError`. */
  static readonly code = 'ERR_CARD_FULL' as const;
  readonly code = CardFullError.code;
}

/**
 * Bytes given as a certificate are not a DER-encoded X.509 certificate.
 *
 * @example
 * ```ts
 * import { CertificateInvalidError, derFromPem } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * declare const issued: string; // the PEM the CA sent
 * const [der] = derFromPem(issued, { label: 'CERTIFICATE' });
 * try {
 *   if (der !== undefined) await card.installCertificate('smartcard-user', der);
 * } catch (error) {
 *   if (error instanceof CertificateInvalidError) console.log('The CA sent no certificate.');
 *   else throw error;
 * }
 * ```
 *
 * @category Errors
 */
export class CertificateInvalidError extends SmartCardError {
  /** The code of every `CertificateInvalidError`. */
  static readonly code = 'ERR_CERTIFICATE_INVALID' as const;
  readonly code = CertificateInvalidError.code;
}

/**
 * A certificate's public key is not the key of the container it was to be stored with.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * declare const certificate: Uint8Array;
 * try {
 *   await card.installCertificate('smartcard-user', certificate, { friendlyName: 'Alice' });
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_CERTIFICATE_MISMATCH')) throw error;
 *   console.log('This certificate was issued for another key set; nothing was stored.');
 * }
 * ```
 *
 * @category Errors
 */
export class CertificateMismatchError extends SmartCardError {
  /** The code of every `CertificateMismatchError`. */
  static readonly code = 'ERR_CERTIFICATE_MISMATCH' as const;
  readonly code = CertificateMismatchError.code;
}
