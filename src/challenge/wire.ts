/**
 * The JSON wire form of a sign-in challenge and of its answer, and their codecs both ways: what
 * a server sends and a client posts back over HTTP. Bytes travel as base64url without padding,
 * and every message carries its version (`"v": 1`). Decoding refuses anything malformed with an
 * `InvalidInputError` and throws nothing else.
 *
 * @module
 */
import { toBase64Url } from '../lib/bytes.js';
import { LIMITS } from './signed-message.js';
import type { SignInChallenge, SignInResponse } from './types.js';
import {
  bytesField,
  checkEnvelope,
  malformed,
  stringField,
  timeField,
  WIRE_VERSION,
  wireObject,
} from './wire-fields.js';

/**
 * The sizes the wire accepts: a signature of at most 1 KiB (an RSA-4096 signature is 512
 * bytes), each certificate at most 16 KiB, at most 8 intermediates.
 *
 * @example
 * ```ts
 * import { WIRE_LIMITS } from 'smartcard-2fa/server';
 *
 * const fits = (certificate: Uint8Array) => certificate.length <= WIRE_LIMITS.certificate;
 * console.log(fits(new Uint8Array(1200))); // true
 * ```
 *
 * @category Wire
 */
export const WIRE_LIMITS = {
  challenge: LIMITS.challenge,
  id: LIMITS.id,
  rpId: LIMITS.rpId,
  signature: 1024,
  certificate: 16 * 1024,
  intermediates: 8,
} as const;

/**
 * A {@link SignInChallenge} as JSON: `challenge` in base64url.
 *
 * @example
 * ```ts
 * import { decodeChallenge, type WireChallenge } from 'smartcard-2fa/session';
 *
 * const wire: WireChallenge = {
 *   v: 1,
 *   id: 'c-1',
 *   rpId: 'intranet.contoso.com',
 *   challenge: 'AAECAw',
 *   expiresAt: 1_800_000_000_000,
 * };
 * console.log(decodeChallenge(wire).challenge); // Uint8Array [0, 1, 2, 3]
 * ```
 *
 * @category Wire
 */
export interface WireChallenge {
  /** The wire version. */
  readonly v: 1;
  /** Names the challenge in the answer. */
  readonly id: string;
  /** The service that issued it. */
  readonly rpId: string;
  /** The challenge bytes, base64url without padding. */
  readonly challenge: string;
  /** When it stops being accepted, ms since 1970. */
  readonly expiresAt: number;
}

/**
 * A {@link SignInResponse} as JSON: `signature`, `certificate` and each intermediate in
 * base64url; `intermediates` left out when there are none.
 *
 * @example
 * ```ts
 * import { decodeResponse, type WireResponse } from 'smartcard-2fa/server';
 *
 * declare const posted: WireResponse; // the request body a client sent
 * const response = decodeResponse(posted);
 * console.log(response.certificate.length);
 * ```
 *
 * @category Wire
 */
export interface WireResponse {
  /** The wire version. */
  readonly v: 1;
  /** The challenge's id. */
  readonly id: string;
  /** The service the card signed for. */
  readonly rpId: string;
  /** The card's signature, base64url without padding. */
  readonly signature: string;
  /** The card's certificate (DER), base64url without padding. */
  readonly certificate: string;
  /** Intermediate CA certificates (DER), base64url without padding, at most 8. */
  readonly intermediates?: readonly string[];
}

/**
 * The wire form of a challenge, for a server's JSON answer.
 *
 * @example
 * ```ts
 * import { type Authenticator, encodeChallenge } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * const challenge = await authenticator.challenge({ address: 'alice@contoso.com' });
 * const body = JSON.stringify(encodeChallenge(challenge));
 * ```
 *
 * @category Wire
 */
export function encodeChallenge(challenge: SignInChallenge): WireChallenge {
  return {
    v: WIRE_VERSION,
    id: challenge.id,
    rpId: challenge.rpId,
    challenge: toBase64Url(challenge.challenge),
    expiresAt: challenge.expiresAt,
  };
}

/**
 * A challenge from its wire form (parsed JSON of any shape).
 *
 * @throws `InvalidInputError` when it is not a version 1 challenge within the wire's limits.
 *
 * @example
 * ```ts
 * import { decodeChallenge } from 'smartcard-2fa/session';
 *
 * const answer = await fetch('/sign-in/challenge', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' }, // the adapters read nothing else
 *   body: '{"address":"alice@contoso.com"}',
 * });
 * const challenge = decodeChallenge(await answer.json());
 * console.log(new Date(challenge.expiresAt));
 * ```
 *
 * @category Wire
 */
export function decodeChallenge(wire: unknown): SignInChallenge {
  const what = 'sign-in challenge';
  const message = wireObject(wire, what);
  checkEnvelope(message, what, ['id', 'rpId', 'challenge', 'expiresAt']);
  return {
    id: stringField(message, what, 'id', WIRE_LIMITS.id),
    rpId: stringField(message, what, 'rpId', WIRE_LIMITS.rpId),
    challenge: bytesField(message.challenge, what, 'challenge', WIRE_LIMITS.challenge),
    expiresAt: timeField(message, what, 'expiresAt'),
  };
}

/**
 * The wire form of a card's answer, for the client's request body.
 *
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { encodeResponse, type SignInChallenge, signChallenge } from 'smartcard-2fa/session';
 *
 * declare const card: SmartCard, challenge: SignInChallenge;
 * const response = await signChallenge(card, 'Smartcard User', challenge, { rpId: 'intranet.contoso.com' });
 * await fetch('/sign-in/verify', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify(encodeResponse(response)),
 * });
 * ```
 *
 * @category Wire
 */
export function encodeResponse(response: SignInResponse): WireResponse {
  const intermediates = response.intermediates ?? [];
  return {
    v: WIRE_VERSION,
    id: response.id,
    rpId: response.rpId,
    signature: toBase64Url(response.signature),
    certificate: toBase64Url(response.certificate),
    ...(intermediates.length === 0 ? {} : { intermediates: intermediates.map(toBase64Url) }),
  };
}

/**
 * A card's answer from its wire form (parsed JSON of any shape).
 *
 * @throws `InvalidInputError` when it is not a version 1 answer within the wire's limits.
 *
 * @example
 * ```ts
 * import { type Authenticator, decodeResponse } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator, requestBody: unknown;
 * const result = await authenticator.verify(decodeResponse(requestBody));
 * console.log(result.verified);
 * ```
 *
 * @category Wire
 */
export function decodeResponse(wire: unknown): SignInResponse {
  const what = 'sign-in response';
  const message = wireObject(wire, what);
  checkEnvelope(message, what, ['id', 'rpId', 'signature', 'certificate', 'intermediates']);
  const response = {
    id: stringField(message, what, 'id', WIRE_LIMITS.id),
    rpId: stringField(message, what, 'rpId', WIRE_LIMITS.rpId),
    signature: bytesField(message.signature, what, 'signature', WIRE_LIMITS.signature),
    certificate: bytesField(message.certificate, what, 'certificate', WIRE_LIMITS.certificate),
  };
  if (message.intermediates === undefined) return response;
  const list = message.intermediates;
  if (!Array.isArray(list) || list.length > WIRE_LIMITS.intermediates) {
    throw malformed(
      what,
      `needs "intermediates" to be a list of at most ${WIRE_LIMITS.intermediates}`,
    );
  }
  // Array.from visits holes too, as undefined: a sparse list is refused, not shortened.
  const intermediates = Array.from(list, (item: unknown) =>
    bytesField(item, what, 'intermediates', WIRE_LIMITS.certificate),
  );
  return { ...response, intermediates };
}
