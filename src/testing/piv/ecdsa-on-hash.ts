/**
 * ECDSA on a hash the host computed (what PIV's GENERAL AUTHENTICATE does with an EC key): the
 * signature of SEC 1 / FIPS 186-4 with a random nonce from getRandomValues, as DER
 * Ecdsa-Sig-Value. WebCrypto signs only messages it hashes itself, hence this. Tests only.
 */
import { integer, sequence } from '../../lib/der-write.js';
import { bigIntToBytes, bytesToBigInt, modInverse, modulo } from './big-numbers.js';
import { type Curve, multiply } from './ec-curves.js';

/**
 * The hash as an integer below 2^(bits of the order): its leftmost bits when longer (SEC 1
 * 4.1.3 step 5), as it is when shorter.
 */
function hashInteger(curve: Curve, hash: Uint8Array): bigint {
  const orderBits = curve.order.toString(2).length;
  const value = bytesToBigInt(hash);
  const extra = hash.length * 8 - orderBits;
  return extra > 0 ? value >> BigInt(extra) : value;
}

/** A uniformly random integer from 1 to order-1 (rejection sampling). */
function randomScalar(crypto: Crypto, curve: Curve): bigint {
  for (;;) {
    const candidate = bytesToBigInt(crypto.getRandomValues(new Uint8Array(curve.size)));
    if (candidate > 0n && candidate < curve.order) return candidate;
  }
}

/** Signs `hash` with the private scalar `privateKey`; the DER SEQUENCE { r, s }. */
export function signHash(
  crypto: Crypto,
  curve: Curve,
  privateKey: bigint,
  hash: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const digest = hashInteger(curve, hash);
  for (;;) {
    const nonce = randomScalar(crypto, curve);
    const point = multiply(curve, curve.generator, nonce);
    if (point === undefined) continue;
    const r = modulo(point.x, curve.order);
    if (r === 0n) continue;
    const s = modulo(modInverse(nonce, curve.order) * (digest + r * privateKey), curve.order);
    if (s === 0n) continue;
    return sequence(integer(bigIntToBytes(r, curve.size)), integer(bigIntToBytes(s, curve.size)));
  }
}
