// Faults of enrollment with a certificate authority.
import { SmartCardError, type SmartCardErrorOptions } from './smart-card-error.js';

/**
 * A certificate request is malformed, badly signed, or asks for what its template does not allow.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { CertsrvClient, EnrollmentRequest } from 'smartcard-2fa/enrollment';
 *
 * declare const certsrv: CertsrvClient;
 * declare const request: EnrollmentRequest;
 * try {
 *   const disposition = await certsrv.submit(request, { template: 'SmartcardUser' });
 *   console.log(disposition.status);
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_REQUEST_INVALID')) throw error;
 *   console.log(`The CA refused the request: ${error.message}`);
 * }
 * ```
 *
 * @category Errors
 */
export class RequestInvalidError extends SmartCardError {
  /** The code of every `RequestInvalidError`. */
  static readonly code = 'ERR_REQUEST_INVALID' as const;
  readonly code = RequestInvalidError.code;
}

/**
 * A certificate authority could not be reached or did not answer as expected: a network failure,
 * a timeout, an HTTP error status (`httpStatus`; 401 or 403 when the credentials were refused),
 * an answer too large, or a page that is not one of the CA's answers (a proxy's login page, say).
 * When the CA had already taken the request, `requestId` says which: retrieve it later rather
 * than submitting again.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 *
 * function mustSignIn(error: unknown): boolean {
 *   return SmartCardError.is(error, 'ERR_CA_UNAVAILABLE') && error.httpStatus === 401;
 * }
 * ```
 *
 * @category Errors
 */
export class CaUnavailableError extends SmartCardError {
  /** The code of every `CaUnavailableError`. */
  static readonly code = 'ERR_CA_UNAVAILABLE' as const;
  readonly code = CaUnavailableError.code;
  /** The HTTP status the CA answered with, when the failure was an HTTP error status. */
  readonly httpStatus: number | undefined;
  /** The id the CA gave the request, when it had taken the request before the failure. */
  readonly requestId: number | undefined;

  constructor(message: string, options?: CaUnavailableErrorOptions) {
    super(message, options);
    this.httpStatus = options?.httpStatus;
    this.requestId = options?.requestId;
  }
}

/**
 * Options of the {@link CaUnavailableError} constructor.
 *
 * @example
 * ```ts
 * import { CaUnavailableError, type CaUnavailableErrorOptions } from 'smartcard-2fa';
 *
 * // A test's stand-in for a CA that took request 42, then failed to answer.
 * const options: CaUnavailableErrorOptions = { httpStatus: 503, requestId: 42 };
 * const submit = async (): Promise<never> => {
 *   throw new CaUnavailableError('The CA answered HTTP 503.', options);
 * };
 * await submit().catch((error: CaUnavailableError) => {
 *   console.log(error.httpStatus, error.requestId); // 503 42: retrieve 42 later
 * });
 * ```
 *
 * @category Errors
 */
export interface CaUnavailableErrorOptions extends SmartCardErrorOptions {
  /** The HTTP status of the CA's answer. */
  httpStatus?: number;
  /** The id the CA gave the request. */
  requestId?: number;
}
