/**
 * What a sign-in challenge and its answer are: the two objects the server and the client hand
 * each other, the one through the other's network code.
 *
 * @module
 */

/**
 * A challenge for the client: send `id` and `challenge` to it (base64 in JSON, say).
 *
 * @example
 * ```ts
 * import type { Authenticator, SignInChallenge } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * const address = 'alice@contoso.com';
 * const challenge: SignInChallenge = await authenticator.challenge({ address });
 * const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
 * const body = JSON.stringify({
 *   id: challenge.id,
 *   rpId: challenge.rpId,
 *   challenge: toBase64(challenge.challenge),
 *   expiresAt: challenge.expiresAt, // the client has until then to answer
 * });
 * ```
 *
 * @category Sign-in
 */
export interface SignInChallenge {
  /** Names the challenge in the answer. */
  readonly id: string;
  /** The service that issued it (the Authenticator's `rpId`); the client checks it. */
  readonly rpId: string;
  /** 32 random bytes. */
  readonly challenge: Uint8Array;
  /** When the challenge stops being accepted, ms since 1970. */
  readonly expiresAt: number;
}

/**
 * The client's answer to a challenge, as {@link signChallenge} makes it.
 *
 * @example
 * ```ts
 * import type { SignInResponse } from 'smartcard-2fa/session';
 *
 * declare const body: { id: string; rpId: string; signature: string; certificate: string };
 * const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
 * const response: SignInResponse = {
 *   id: body.id,
 *   rpId: body.rpId,
 *   signature: fromBase64(body.signature),
 *   certificate: fromBase64(body.certificate),
 * };
 * ```
 *
 * @category Sign-in
 */
export interface SignInResponse {
  /** The challenge's id. */
  readonly id: string;
  /** The service the card signed for: the challenge's `rpId`. */
  readonly rpId: string;
  /** The card's signature over the domain-separated message. */
  readonly signature: Uint8Array;
  /** The card's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Intermediate CA certificates the client sends along, DER (at most 8). */
  readonly intermediates?: readonly Uint8Array[];
}
