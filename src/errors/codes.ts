/**
 * The stable codes of {@link SmartCardError}. One code per failure kind; each has a subclass,
 * which {@link SmartCardErrorByCode} names.
 *
 * @example
 * ```ts
 * import { SmartCardError, type ErrorCode } from 'smartcard-2fa';
 *
 * function describe(error: unknown): ErrorCode | 'unknown' {
 *   return SmartCardError.is(error) ? error.code : 'unknown';
 * }
 * ```
 *
 * @category Errors
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Every {@link ErrorCode}, for code that needs to enumerate them (an error-message table, say).
 *
 * @example
 * ```ts
 * import { ERROR_CODES, type ErrorCode } from 'smartcard-2fa';
 *
 * const help: Partial<Record<ErrorCode, string>> = {
 *   ERR_CARD_REMOVED: 'Insert your card again.',
 *   ERR_TPM_LOCKOUT: 'Wait a moment, then try your PIN again.',
 * };
 * const generic = ERROR_CODES.filter((code) => help[code] === undefined);
 * console.log(`${generic.length} codes show the generic message`);
 * ```
 *
 * @category Errors
 */
export const ERROR_CODES = [
  'ERR_INVALID_INPUT',
  'ERR_PIN_POLICY',
  'ERR_STATE_CORRUPT',
  'ERR_STORAGE',
  'ERR_UNBLOCK_UNAVAILABLE',
  'ERR_CARD_REMOVED',
  'ERR_DEVICE_MISMATCH',
  'ERR_TPM_UNAVAILABLE',
  'ERR_TPM_LOCKOUT',
  'ERR_PIN_REQUIRED',
  'ERR_KEY_NOT_FOUND',
  'ERR_KEY_USAGE',
  'ERR_CARD_FULL',
  'ERR_CERTIFICATE_INVALID',
  'ERR_CERTIFICATE_MISMATCH',
  'ERR_UNSUPPORTED_ENVIRONMENT',
  'ERR_REQUEST_INVALID',
  'ERR_CA_UNAVAILABLE',
  'ERR_PKCS11',
  'ERR_TOO_MANY_CHALLENGES',
  'ERR_WRONG_SERVICE',
  'ERR_SERVER_UNAVAILABLE',
] as const;
