// Faults of a card and its key containers.
import { SmartCardError } from './smart-card-error.js';

/**
 * The card is not in a reader, or was removed while an operation ran. The card is as it was
 * before the operation.
 *
 * @example
 * ```ts
 * import { CardRemovedError } from 'smartcard-2fa';
 *
 * throw new CardRemovedError('The card was removed during key generation.');
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
 * import { KeyNotFoundError } from 'smartcard-2fa';
 *
 * throw new KeyNotFoundError('No key container "x" on this card.');
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
 * import { KeyUsageError } from 'smartcard-2fa';
 *
 * throw new KeyUsageError('A signature key cannot decrypt.');
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
 * import { CardFullError } from 'smartcard-2fa';
 *
 * throw new CardFullError('The card holds 15 key containers already.');
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
 * import { CertificateInvalidError } from 'smartcard-2fa';
 *
 * throw new CertificateInvalidError('The certificate is not DER (PEM? convert it first).');
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
 * import { CertificateMismatchError } from 'smartcard-2fa';
 *
 * throw new CertificateMismatchError('This certificate belongs to another key.');
 * ```
 *
 * @category Errors
 */
export class CertificateMismatchError extends SmartCardError {
  /** The code of every `CertificateMismatchError`. */
  static readonly code = 'ERR_CERTIFICATE_MISMATCH' as const;
  readonly code = CertificateMismatchError.code;
}
