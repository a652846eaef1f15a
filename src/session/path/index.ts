/**
 * Certification path validation for sign-in: {@link validateCertificatePath} and its types.
 *
 * @module
 */
export { DEFAULT_SIGN_IN_EKU } from './options.js';
export type {
  KeyUsageName,
  PathFailure,
  PathResult,
  PathValidationOptions,
} from './types.js';
export { validateCertificatePath } from './validate.js';
