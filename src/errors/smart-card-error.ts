import type { SmartCardErrorByCode } from './by-code.js';
import type { ErrorCode } from './codes.js';

/** Marks SDK errors across bundles and realms, where `instanceof` may fail. */
const BRAND = Symbol.for('smartcard-2fa.SmartCardError');

/**
 * Options common to every {@link SmartCardError} constructor.
 *
 * @example
 * ```ts
 * import { type SmartCardErrorOptions, StorageError } from 'smartcard-2fa';
 *
 * // A custom card store wraps its own failures as the SDK's errors, with the cause kept.
 * async function saveOrThrow(write: () => Promise<void>): Promise<void> {
 *   try {
 *     await write();
 *   } catch (cause) {
 *     const options: SmartCardErrorOptions = { cause };
 *     throw new StorageError('Could not save the card state.', options);
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export interface SmartCardErrorOptions {
  /** The underlying error or value that led to this one. */
  cause?: unknown;
}

/**
 * The base class of every fault the SDK throws. Each {@link ErrorCode} has one subclass (see
 * {@link SmartCardErrorByCode}), with the code both on its instances and as its static `code`.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 *
 * try {
 *   // ... any SDK call
 * } catch (error) {
 *   if (SmartCardError.is(error, 'ERR_PIN_POLICY')) {
 *     console.log(error.violations.map((v) => v.message)); // a PinPolicyError
 *   } else {
 *     throw error;
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export abstract class SmartCardError extends Error {
  /** The stable code of this failure kind. */
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: SmartCardErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Whether `value` is a `SmartCardError`, optionally of one code. Works across bundles and
   * realms, where `instanceof` may not: it checks a registered brand, not the prototype chain.
   * With a code it narrows to that code's class (`'ERR_PIN_POLICY'` to `PinPolicyError`);
   * without one, to {@link AnySmartCardError}, on which a `switch (error.code)` narrows.
   */
  static is<C extends ErrorCode = ErrorCode>(
    value: unknown,
    code?: C,
  ): value is SmartCardErrorByCode[C] {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as { [BRAND]?: unknown })[BRAND] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}
