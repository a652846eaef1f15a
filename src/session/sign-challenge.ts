/**
 * The client side of a sign-in: {@link signChallenge} answers the server's challenge on a card.
 *
 * @module
 */
import type { SmartCard } from '../card/contract/smart-card.js';
import { expectedRpId, isChallengeId, LIMITS, signInMessage } from '../challenge/signed-message.js';
import type { SignInChallenge, SignInResponse } from '../challenge/types.js';
import { InvalidInputError, WrongServiceError } from '../errors.js';

/**
 * Options of {@link signChallenge}.
 *
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import type { SignChallengeOptions, SignInChallenge } from 'smartcard-2fa/session';
 * import { signChallenge } from 'smartcard-2fa/session';
 *
 * declare const card: SmartCard; // PIN verified
 * declare const challenge: SignInChallenge;
 * // Outside a browser there is no page host name: name the service.
 * const options: SignChallengeOptions = { rpId: 'intranet.contoso.com' };
 * const response = await signChallenge(card, 'smartcard-user', challenge, options);
 * console.log(response.rpId === options.rpId); // true: nothing else is signed
 * ```
 *
 * @category Client
 */
export interface SignChallengeOptions {
  /**
   * The service this client signs in to, as its Authenticator's `rpId`: a challenge naming any
   * other service is refused. Default: in a browser the page's host name (`location.hostname`);
   * elsewhere it is required.
   */
  readonly rpId?: string;
}

/**
 * Answers a sign-in challenge with a card: checks that the challenge is for the service this
 * client expects (its `rpId`), then signs the domain-separated message (the context
 * `"smartcard-2fa sign-in v1"`, the service name, the challenge id and the challenge) with
 * SHA-256 in `container`, and returns the signature with the container's certificate. The PIN
 * must have been verified in this card session; the signature is made after the certificate
 * is found, so a container without one costs no signature.
 *
 * A challenge for another service (one a hostile service passed on from the real one) throws
 * `WrongServiceError` before the card is asked for anything.
 *
 * @throws `WrongServiceError` when `challenge.rpId` is not the expected service;
 * `InvalidInputError` when the challenge has the wrong shape, when no `rpId` is given outside a
 * browser, or when the container holds no certificate; the card's own errors
 * (`PinRequiredError`, `KeyNotFoundError`, ...) otherwise.
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { type SignInChallenge, signChallenge } from 'smartcard-2fa/session';
 *
 * declare const card: SmartCard;
 * declare const challenge: SignInChallenge; // from the server
 * await card.verifyPin('12345678');
 * const [container] = await card.containers();
 * if (container === undefined) throw new Error('The card is blank.');
 * const response = await signChallenge(card, container.name, challenge, {
 *   rpId: 'intranet.contoso.com',
 * });
 * // send response.id, response.rpId, response.signature and response.certificate to the server
 * ```
 *
 * @category Client
 */
export async function signChallenge(
  card: SmartCard,
  container: string,
  challenge: Pick<SignInChallenge, 'id' | 'challenge' | 'rpId'>,
  options: SignChallengeOptions = {},
): Promise<SignInResponse> {
  const rpId = expectedRpId((options as SignChallengeOptions | null)?.rpId, 'signChallenge');
  if (typeof challenge !== 'object' || challenge === null || !isChallengeId(challenge.id)) {
    throw new InvalidInputError('signChallenge: challenge.id must be a challenge id.');
  }
  const bytes = challenge.challenge;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > LIMITS.challenge) {
    throw new InvalidInputError(
      `signChallenge: challenge.challenge must be 1 to ${LIMITS.challenge} bytes.`,
    );
  }
  if (typeof challenge.rpId !== 'string') {
    throw new InvalidInputError(
      'signChallenge: challenge.rpId must be the name of the service that issued it.',
    );
  }
  if (challenge.rpId !== rpId) {
    throw new WrongServiceError(
      `signChallenge: the challenge is for the service "${printable(challenge.rpId)}", not "${rpId}"; nothing was signed.`,
    );
  }
  const certificate = await card.certificate(container);
  if (certificate === null) {
    throw new InvalidInputError(
      `signChallenge: the container "${container}" holds no certificate; enroll the card first.`,
    );
  }
  const message = signInMessage(rpId, challenge.id, bytes);
  const signature = await card.sign(container, message, { hash: 'SHA-256' });
  return { id: challenge.id, rpId, signature, certificate };
}

/** A name from the network, shortened and without control characters, for a message. */
function printable(name: string): string {
  const clean = Array.from(name, (c) => (c < ' ' || c === '\x7f' ? '?' : c)).join('');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}
