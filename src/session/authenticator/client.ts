/**
 * The client side of a sign-in: {@link signChallenge} answers the server's challenge on a card.
 *
 * @module
 */
import type { SmartCard } from '../../card/types.js';
import { InvalidInputError } from '../../errors.js';
import { checkRpId, isChallengeId, LIMITS, signInMessage } from './message.js';
import type { SignInResponse } from './types.js';

/**
 * Options of {@link signChallenge}.
 *
 * @example
 * ```ts
 * import type { SignChallengeOptions } from 'smartcard-2fa/session';
 *
 * const options: SignChallengeOptions = { rpId: 'intranet.contoso.com' };
 * ```
 */
export interface SignChallengeOptions {
  /** The service's name; must be the server's `rpId`. Default `''`. */
  readonly rpId?: string;
}

/**
 * Answers a sign-in challenge with a card: signs the domain-separated message (the context
 * `"smartcard-2fa sign-in v1"`, the service name, the challenge id and the challenge) with
 * SHA-256 in `container`, and returns the signature with the container's certificate. The PIN
 * must have been verified in this card session; the signature is made after the certificate
 * is found, so a container without one costs no signature.
 *
 * @throws `InvalidInputError` when the challenge has the wrong shape or the container holds no
 * certificate; the card's own errors (`PinRequiredError`, `KeyNotFoundError`, ...) otherwise.
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { signChallenge } from 'smartcard-2fa/session';
 *
 * declare const card: SmartCard;
 * declare const challenge: { id: string; challenge: Uint8Array };
 * await card.verifyPin('12345678');
 * const [container] = await card.containers();
 * if (container === undefined) throw new Error('The card is blank.');
 * const response = await signChallenge(card, container.name, challenge, { rpId: 'intranet' });
 * // send response.id, response.signature and response.certificate to the server
 * ```
 */
export async function signChallenge(
  card: SmartCard,
  container: string,
  challenge: { readonly id: string; readonly challenge: Uint8Array },
  options: SignChallengeOptions = {},
): Promise<SignInResponse> {
  const rpId = checkRpId(options.rpId, 'signChallenge');
  if (typeof challenge !== 'object' || challenge === null || !isChallengeId(challenge.id)) {
    throw new InvalidInputError('signChallenge: challenge.id must be a challenge id.');
  }
  const bytes = challenge.challenge;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > LIMITS.challenge) {
    throw new InvalidInputError(
      `signChallenge: challenge.challenge must be 1 to ${LIMITS.challenge} bytes.`,
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
  return { id: challenge.id, signature, certificate };
}
