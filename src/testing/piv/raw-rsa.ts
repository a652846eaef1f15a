/**
 * The raw RSA private-key operation (RFC 8017 RSADP/RSASP1, with the CRT) on a block the host
 * built: PIV signs by applying it to the PKCS#1 block the host padded, and decrypts by applying
 * it to the ciphertext. WebCrypto offers neither. Not constant-time: tests only.
 */
import { bigIntToBytes, bytesToBigInt, jwkInteger, modPow, modulo } from './big-numbers.js';

/** An RSA private key's CRT form, read from its JWK. */
export interface RsaPrivateKey {
  readonly modulus: bigint;
  readonly prime1: bigint;
  readonly prime2: bigint;
  readonly exponent1: bigint;
  readonly exponent2: bigint;
  readonly coefficient: bigint;
  /** The modulus length in bytes. */
  readonly size: number;
}

/** The CRT key of a private RSA JWK. */
export function rsaKeyOfJwk(jwk: JsonWebKey): RsaPrivateKey {
  const modulus = jwkInteger(jwk.n, 'n');
  return {
    modulus,
    prime1: jwkInteger(jwk.p, 'p'),
    prime2: jwkInteger(jwk.q, 'q'),
    exponent1: jwkInteger(jwk.dp, 'dp'),
    exponent2: jwkInteger(jwk.dq, 'dq'),
    coefficient: jwkInteger(jwk.qi, 'qi'),
    size: Math.ceil(modulus.toString(16).length / 2),
  };
}

/**
 * block^d mod n for a block of exactly the modulus length whose value is below the modulus;
 * `undefined` for any other block (a card answers 6A80).
 */
export function rsaPrivateOperation(
  key: RsaPrivateKey,
  block: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  if (block.length !== key.size) return undefined;
  const value = bytesToBigInt(block);
  if (value >= key.modulus) return undefined;
  const first = modPow(value, key.exponent1, key.prime1);
  const second = modPow(value, key.exponent2, key.prime2);
  const combined = modulo(key.coefficient * (first - second), key.prime1);
  return bigIntToBytes(second + combined * key.prime2, key.size);
}
