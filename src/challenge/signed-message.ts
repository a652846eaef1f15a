/**
 * The bytes a card signs to answer a sign-in challenge, defined once for the client helper and
 * the server's check. Internal.
 */
import { InvalidInputError } from '../errors.js';
import { concatBytes, utf8 } from '../lib/bytes.js';

/** The context string that starts every signed sign-in message, NUL included.
 *
 * @category Sign-in
 */
export const SIGN_IN_CONTEXT = 'smartcard-2fa sign-in v1\0';

/** The most bytes a challenge, a challenge id or a service name may have.
 *
 * @category Sign-in
 */
export const LIMITS = { challenge: 256, id: 128, rpId: 253 } as const;

/**
 * The domain-separated message: UTF-8 `"smartcard-2fa sign-in v1\0" + rpId + "\0" + id + "\0"`,
 * then the challenge bytes. Neither `rpId` nor `id` may hold NUL, and the challenge comes last,
 * so each message has one reading; a signature made for anything else (the raw challenge, a
 * request, another service) never verifies as an answer.
 *
 * @category Sign-in
 */
export function signInMessage(
  rpId: string,
  id: string,
  challenge: Uint8Array,
): Uint8Array<ArrayBuffer> {
  return concatBytes(utf8(`${SIGN_IN_CONTEXT}${rpId}\0${id}\0`), challenge);
}

/**
 * Checks a service name (`rpId`): a non-empty string of at most 253 bytes without NUL. Throws
 * `InvalidInputError` naming `where` otherwise, and when it is missing.
 *
 * @category Sign-in
 */
export function checkRpId(rpId: unknown, where: string): string {
  if (
    typeof rpId !== 'string' ||
    rpId.length === 0 ||
    rpId.includes('\0') ||
    utf8(rpId).length > LIMITS.rpId
  ) {
    throw new InvalidInputError(
      `${where}: rpId (the service's name, such as its host name) must be a non-empty string of at most ${LIMITS.rpId} bytes without NUL.`,
    );
  }
  return rpId;
}

/**
 * The service a client expects challenges from: `rpId` when given, else in a browser the page's
 * host name (`location.hostname`). Throws `InvalidInputError` when there is neither.
 *
 * @category Sign-in
 */
export function expectedRpId(rpId: unknown, where: string): string {
  if (rpId !== undefined) return checkRpId(rpId, where);
  const host = (globalThis as { location?: { hostname?: unknown } }).location?.hostname;
  if (typeof host === 'string' && host !== '') return checkRpId(host, where);
  throw new InvalidInputError(
    `${where}: give rpId, the service's name as its Authenticator has it (outside a browser there is no page to take it from).`,
  );
}

/** Whether `id` can be a challenge id: a non-empty string without NUL, of bounded size.
 *
 * @category Sign-in
 */
export function isChallengeId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= LIMITS.id && !id.includes('\0');
}
