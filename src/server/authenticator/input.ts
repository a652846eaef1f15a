/**
 * What the Authenticator takes in from the network: sign-in responses. A response of the wrong
 * shape is a failed verification, never a throw. Internal.
 */
import { isChallengeId, LIMITS } from '../../challenge/signed-message.js';
import type { SignInResponse } from '../../challenge/types.js';
import { MAX_SIGNATURE } from './signature.js';

/** The largest certificate looked at, DER. */
const MAX_CERTIFICATE = 16 * 1024;
/** The most intermediates a response may carry. */
const MAX_INTERMEDIATES = 8;

/** Why `response` cannot be a sign-in response, or `undefined` when it can.
 *
 * @category Server
 */
export function responseProblem(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null) return 'the response is not an object';
  const fields = response as Partial<Record<keyof SignInResponse, unknown>>;
  if (!isChallengeId(fields.id)) return 'the challenge id is not a string of 1 to 128 characters';
  if (typeof fields.rpId !== 'string' || fields.rpId.length > LIMITS.rpId) {
    return `the rpId is not a string of at most ${LIMITS.rpId} characters`;
  }
  if (!(fields.signature instanceof Uint8Array) || fields.signature.length === 0) {
    return 'the signature is not a non-empty Uint8Array';
  }
  if (fields.signature.length > MAX_SIGNATURE) return 'the signature is too large';
  if (!isCertificateBytes(fields.certificate)) {
    return `the certificate is not a non-empty Uint8Array of at most ${MAX_CERTIFICATE} bytes`;
  }
  const { intermediates } = fields;
  if (intermediates === undefined) return undefined;
  if (!Array.isArray(intermediates) || intermediates.length > MAX_INTERMEDIATES) {
    return `the intermediates are not an array of at most ${MAX_INTERMEDIATES} certificates`;
  }
  if (!intermediates.every(isCertificateBytes)) {
    return `an intermediate is not a non-empty Uint8Array of at most ${MAX_CERTIFICATE} bytes`;
  }
  return undefined;
}

function isCertificateBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length > 0 && value.length <= MAX_CERTIFICATE;
}
