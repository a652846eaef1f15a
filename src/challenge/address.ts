/**
 * Sign-in addresses: what `Authenticator.challenge` and the sign-in machine accept, and how two
 * of them compare. Internal.
 */
import { InvalidInputError } from '../errors.js';

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
 * @category Sign-in
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
 * @category Sign-in
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Whether two addresses are equal, ignoring ASCII case.
 *
 * @category Sign-in
 */
export function sameAddress(a: string, b: string): boolean {
  return asciiLower(a) === asciiLower(b);
}
