/**
 * The keys of a PIV test card's slots: where new ones come from (an injectable source; fixture
 * keys by default, so tests never generate RSA keys), the public key GENERATE answers (7F49), and
 * the private-key operation GENERAL AUTHENTICATE does (raw RSA, or ECDSA on the host's hash).
 */
import { PIV_ALGORITHM } from '../../card/piv/piv-constants.js';
import type { WebCrypto } from '../../crypto.js';
import { encodeObject } from '../../lib/apdu.js';
import { concatBytes, toBase64 } from '../../lib/bytes.js';
import { fixtureKeySource } from '../key-source.js';
import { bigIntToBytes, bytesToBigInt, jwkBytes, jwkInteger } from './big-numbers.js';
import { multiply, onCurve, P256, P384 } from './ec-curves.js';
import { signHash } from './ecdsa-on-hash.js';
import type { SlotKey } from './piv-state.js';
import { rsaKeyOfJwk, rsaPrivateOperation } from './raw-rsa.js';

/** What the crypto needs of a slot key: its algorithm and PKCS#8. */
type KeyBytes = Pick<SlotKey, 'algorithm' | 'pkcs8'>;

/**
 * The key algorithms the card generates, by their PIV identifiers: RSA-2048 (07), P-256 (11),
 * P-384 (14).
 *
 * @example
 * ```ts
 * import type { PivKeyAlgorithm } from 'smartcard-2fa/testing';
 *
 * const names: Record<PivKeyAlgorithm, string> = { 0x07: 'RSA-2048', 0x11: 'P-256', 0x14: 'P-384' };
 * console.log(names[0x11]); // 'P-256'
 * ```
 *
 * @category Testing
 */
export type PivKeyAlgorithm = 0x07 | 0x11 | 0x14; // PIV_ALGORITHM's RSA_2048, ECC_P256, ECC_P384

/** Whether `value` is a key algorithm the card generates. */
export function isPivKeyAlgorithm(value: number): value is PivKeyAlgorithm {
  return (
    value === PIV_ALGORITHM.RSA_2048 ||
    value === PIV_ALGORITHM.ECC_P256 ||
    value === PIV_ALGORITHM.ECC_P384
  );
}

/**
 * Where a PIV test card's new key pairs come from: the PKCS#8 private key of a new pair of
 * `algorithm`. The default hands out the fixture keys (RSA-2048, P-256) and generates P-384 keys
 * with WebCrypto (quick: no fixture keys of that curve).
 *
 * @example
 * ```ts
 * import { EmulatedPivCard, type PivKeySource } from 'smartcard-2fa/testing';
 *
 * // Every key generated on this card is a fresh P-256 key from WebCrypto.
 * const freshKeys: PivKeySource = async (algorithm, crypto) => {
 *   if (algorithm !== 0x11) throw new Error('this test makes only P-256 keys');
 *   const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
 *   return new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
 * };
 * const card = await EmulatedPivCard.create({ keySource: freshKeys });
 * console.log(card.serial);
 * ```
 *
 * @category Testing
 */
export type PivKeySource = (
  algorithm: PivKeyAlgorithm,
  crypto: WebCrypto,
) => Promise<Uint8Array<ArrayBuffer>>;

/** The default {@link PivKeySource}: fixture keys where there are some. */
export const fixturePivKeySource: PivKeySource = async (algorithm, crypto) => {
  if (algorithm === PIV_ALGORITHM.RSA_2048)
    return (await fixtureKeySource('RSA-2048', crypto)).pkcs8;
  if (algorithm === PIV_ALGORITHM.ECC_P256)
    return (await fixtureKeySource('ECDSA-P256', crypto)).pkcs8;
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
};

const curveOf = (algorithm: PivKeyAlgorithm) =>
  algorithm === PIV_ALGORITHM.ECC_P384 ? P384 : P256;

/** Each key's JWK, read once per process (by algorithm and PKCS#8). */
const jwks = new Map<string, Promise<JsonWebKey>>();

/** The private JWK of a slot key (WebCrypto reads the PKCS#8). */
export function slotKeyJwk(crypto: Crypto, key: KeyBytes): Promise<JsonWebKey> {
  const id = `${key.algorithm}:${toBase64(key.pkcs8)}`;
  let made = jwks.get(id);
  if (made === undefined) {
    const params =
      key.algorithm === PIV_ALGORITHM.RSA_2048
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: curveOf(key.algorithm).name };
    made = crypto.subtle
      .importKey('pkcs8', key.pkcs8, params, true, ['sign'])
      .then((imported) => crypto.subtle.exportKey('jwk', imported));
    made.catch(() => jwks.delete(id));
    jwks.set(id, made);
  }
  return made;
}

/** The public key as GENERATE answers it: 7F49 { 81 n, 82 e } or 7F49 { 86 04‖x‖y }. */
export async function publicKeyTemplate(
  crypto: Crypto,
  key: KeyBytes,
): Promise<Uint8Array<ArrayBuffer>> {
  const jwk = await slotKeyJwk(crypto, key);
  const contents =
    key.algorithm === PIV_ALGORITHM.RSA_2048
      ? concatBytes(
          encodeObject(0x81, jwkBytes(jwk.n, 'n')),
          encodeObject(0x82, jwkBytes(jwk.e, 'e')),
        )
      : encodeObject(
          0x86,
          concatBytes(Uint8Array.of(0x04), jwkBytes(jwk.x, 'x'), jwkBytes(jwk.y, 'y')),
        );
  return encodeObject(0x7f49, contents);
}

/**
 * The private-key operation on `data`: raw RSA on a block of the modulus length, or ECDSA
 * (DER) on a hash; `undefined` for data the key cannot take (the card answers 6A80).
 */
export async function privateKeyOperation(
  crypto: Crypto,
  key: KeyBytes,
  data: Uint8Array,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const jwk = await slotKeyJwk(crypto, key);
  if (key.algorithm === PIV_ALGORITHM.RSA_2048) return rsaPrivateOperation(rsaKeyOfJwk(jwk), data);
  if (data.length === 0 || data.length > 64) return undefined;
  return signHash(crypto, curveOf(key.algorithm), jwkInteger(jwk.d, 'd'), data);
}

/**
 * ECDH with an EC slot key (GENERAL AUTHENTICATE's `85`, how a PIV card "decrypts" with an EC
 * key-management key): the x-coordinate of d·Q for the peer's uncompressed point Q; `undefined`
 * for an RSA key or a point that is malformed or not on the key's curve.
 */
export async function keyAgreement(
  crypto: Crypto,
  key: KeyBytes,
  peerPoint: Uint8Array,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (key.algorithm === PIV_ALGORITHM.RSA_2048) return undefined;
  const curve = curveOf(key.algorithm);
  if (peerPoint.length !== 1 + 2 * curve.size || peerPoint[0] !== 0x04) return undefined;
  const point = {
    x: bytesToBigInt(peerPoint.subarray(1, 1 + curve.size)),
    y: bytesToBigInt(peerPoint.subarray(1 + curve.size)),
  };
  if (point.x >= curve.prime || point.y >= curve.prime || !onCurve(curve, point)) return undefined;
  const jwk = await slotKeyJwk(crypto, key);
  const shared = multiply(curve, point, jwkInteger(jwk.d, 'd'));
  return shared === undefined ? undefined : bigIntToBytes(shared.x, curve.size);
}
