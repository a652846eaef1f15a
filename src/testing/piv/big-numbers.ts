/**
 * Unsigned big-endian integers as BigInt, for the PIV test card's own RSA and ECDSA: bytes in and
 * out, JWK's base64url fields, modular powers and inverses. Not constant-time: tests only.
 */
import { fromBase64 } from '../../lib/bytes.js';

/** The unsigned big-endian integer `bytes` hold. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** `value` as exactly `length` big-endian bytes; throws if it does not fit. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array<ArrayBuffer> {
  if (value < 0n || value >> BigInt(8 * length) !== 0n) {
    throw new RangeError(`the number does not fit in ${length} bytes`);
  }
  const out = new Uint8Array(length);
  let rest = value;
  for (let index = length - 1; index >= 0; index--) {
    out[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** The bytes of a JWK field (base64url, no padding). */
export function jwkBytes(field: string | undefined, name: string): Uint8Array<ArrayBuffer> {
  const standard = (field ?? '').replaceAll('-', '+').replaceAll('_', '/');
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const bytes = fromBase64(padded);
  if (bytes === undefined || bytes.length === 0) throw new RangeError(`JWK field ${name} missing`);
  return bytes;
}

/** The integer a JWK field holds. */
export function jwkInteger(field: string | undefined, name: string): bigint {
  return bytesToBigInt(jwkBytes(field, name));
}

/** `value` reduced into 0 .. modulus-1 (also for negative values). */
export function modulo(value: bigint, modulus: bigint): bigint {
  const rest = value % modulus;
  return rest < 0n ? rest + modulus : rest;
}

/** base^exponent mod modulus, by square-and-multiply. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = modulo(base, modulus);
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** The inverse of `value` mod `modulus` (extended Euclid); throws when there is none. */
export function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldRemainder, remainder] = [modulo(value, modulus), modulus];
  let [oldFactor, factor] = [1n, 0n];
  while (remainder !== 0n) {
    const quotient = oldRemainder / remainder;
    [oldRemainder, remainder] = [remainder, oldRemainder - quotient * remainder];
    [oldFactor, factor] = [factor, oldFactor - quotient * factor];
  }
  if (oldRemainder !== 1n) throw new RangeError('no modular inverse');
  return modulo(oldFactor, modulus);
}
