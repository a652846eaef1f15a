/**
 * What the Authenticator takes in: sign-in addresses (what `challenge` accepts, and how they
 * compare) and sign-in responses, which come from the network: a response of the wrong shape
 * is a failed verification, never a throw. Internal.
 */
import { InvalidInputError } from '../../errors.js';
import { isChallengeId, LIMITS } from './message.js';
import { MAX_SIGNATURE } from './signature.js';
import type { SignInResponse } from './types.js';

/** The longest address accepted (RFC 5321's limit on a forward path). */
const MAX_LENGTH = 254;

/** `local@domain`: RFC 5322 atext dot-atoms on the left, DNS-like labels on the right. */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * The address, trimmed, when it is an e-mail-like sign-in address (a UPN such as
 * `alice@contoso.com`, or an e-mail address): ASCII only, local part of at most 64 characters,
 * at most 254 in all. Throws `InvalidInputError` otherwise.
 *
 * @category Server
 */
export function checkAddress(address: unknown): string {
  if (typeof address !== 'string') {
    throw new InvalidInputError('Authenticator.challenge: address must be a string.');
  }
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (trimmed.length > MAX_LENGTH || at > 64 || !ADDRESS.test(trimmed)) {
    throw new InvalidInputError(
      'Authenticator.challenge: address must be an e-mail-like sign-in address (name@domain).',
    );
  }
  return trimmed;
}

/** Lower-cases A–Z only: the ASCII case folding addresses compare under.
 *
 * @category Server
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Whether two addresses are equal, ignoring ASCII case.
 *
 * @category Server
 */
export function sameAddress(a: string, b: string): boolean {
  return asciiLower(a) === asciiLower(b);
}

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
  const r = response as Partial<Record<keyof SignInResponse, unknown>>;
  if (!isChallengeId(r.id)) return 'the challenge id is not a string of 1 to 128 characters';
  if (typeof r.rpId !== 'string' || r.rpId.length > LIMITS.rpId) {
    return `the rpId is not a string of at most ${LIMITS.rpId} characters`;
  }
  if (!(r.signature instanceof Uint8Array) || r.signature.length === 0) {
    return 'the signature is not a non-empty Uint8Array';
  }
  if (r.signature.length > MAX_SIGNATURE) return 'the signature is too large';
  if (!isCertificateBytes(r.certificate)) {
    return `the certificate is not a non-empty Uint8Array of at most ${MAX_CERTIFICATE} bytes`;
  }
  const { intermediates } = r;
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
