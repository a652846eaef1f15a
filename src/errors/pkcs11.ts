// The fault of a PKCS#11 module that is not an outcome.
import { SmartCardError, type SmartCardErrorOptions } from './smart-card-error.js';

/**
 * Options of the {@link Pkcs11ModuleError} constructor.
 *
 * @example
 * ```ts
 * import { Pkcs11ModuleError, type Pkcs11ModuleErrorOptions } from 'smartcard-2fa';
 *
 * // A test double of a token whose driver fails on C_Sign.
 * const failure: Pkcs11ModuleErrorOptions = {
 *   ckr: 'CKR_DEVICE_ERROR',
 *   returnValue: 0x30,
 *   method: 'C_Sign',
 * };
 * const error = new Pkcs11ModuleError('The token failed to sign.', failure);
 * console.log(error.code, error.ckr, error.method); // ERR_PKCS11 CKR_DEVICE_ERROR C_Sign
 * ```
 *
 * @category Errors
 */
export interface Pkcs11ModuleErrorOptions extends SmartCardErrorOptions {
  /** The PKCS#11 return value's name, as `CKR_DEVICE_ERROR`. */
  ckr: string;
  /** The PKCS#11 return value's number. */
  returnValue: number;
  /** The PKCS#11 function that returned it, as `C_Sign`. */
  method?: string;
}

/**
 * A PKCS#11 module (a token's driver, `smartcard-2fa/pkcs11`) failed in a way that is not an
 * outcome: not a wrong or blocked PIN, not a removed token. `ckr` and `returnValue` say what it
 * returned, `method` in which function. What the token had stored is as it was, except that a
 * PIN attempt already spent stays spent.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 *
 * function tokenFault(error: unknown): string | null {
 *   return SmartCardError.is(error, 'ERR_PKCS11') ? error.ckr : null;
 * }
 * ```
 *
 * @category Errors
 */
export class Pkcs11ModuleError extends SmartCardError {
  /** The code of every `Pkcs11ModuleError`. */
  static readonly code = 'ERR_PKCS11' as const;
  readonly code = Pkcs11ModuleError.code;
  /** The PKCS#11 return value's name, as `CKR_DEVICE_ERROR`. */
  readonly ckr: string;
  /** The PKCS#11 return value's number. */
  readonly returnValue: number;
  /** The PKCS#11 function that returned it, or `undefined`. */
  readonly method: string | undefined;

  constructor(message: string, options: Pkcs11ModuleErrorOptions) {
    super(message, options);
    this.ckr = options.ckr;
    this.returnValue = options.returnValue;
    this.method = options.method;
  }
}
