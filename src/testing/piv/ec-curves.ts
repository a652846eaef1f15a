/**
 * The NIST curves P-256 and P-384 (FIPS 186-4 D.1.2, y² = x³ - 3x + b over a prime field) and
 * scalar multiplication in affine coordinates: enough for the PIV test card's ECDSA. Plain and
 * not constant-time: tests only.
 */
import { modInverse, modulo } from './big-numbers.js';

/** A curve: field prime, coefficient b, base point, its order, and its size in bytes. */
export interface Curve {
  readonly name: 'P-256' | 'P-384';
  readonly prime: bigint;
  readonly b: bigint;
  readonly generator: Point;
  readonly order: bigint;
  readonly size: number;
}

/** An affine point; `undefined` stands for the point at infinity. */
export interface Point {
  readonly x: bigint;
  readonly y: bigint;
}

export const P256: Curve = {
  name: 'P-256',
  prime: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  generator: {
    x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  },
  order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  size: 32,
};

export const P384: Curve = {
  name: 'P-384',
  prime:
    0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
  b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  generator: {
    x: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    y: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  },
  order:
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  size: 48,
};

/** Whether `point` satisfies the curve equation. */
export function onCurve(curve: Curve, point: Point): boolean {
  const { prime } = curve;
  const { x, y } = point;
  return modulo(y * y - (x * x * x - 3n * x + curve.b), prime) === 0n;
}

/** The sum of two points (either may be the point at infinity). */
function add(curve: Curve, first: Point | undefined, second: Point | undefined): Point | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  const { prime } = curve;
  let slope: bigint;
  if (first.x === second.x) {
    if (modulo(first.y + second.y, prime) === 0n) return undefined;
    slope = (3n * first.x * first.x - 3n) * modInverse(2n * first.y, prime);
  } else {
    slope = (second.y - first.y) * modInverse(second.x - first.x, prime);
  }
  slope = modulo(slope, prime);
  const x = modulo(slope * slope - first.x - second.x, prime);
  const y = modulo(slope * (first.x - x) - first.y, prime);
  return { x, y };
}

/** scalar · point, by double-and-add. */
export function multiply(curve: Curve, point: Point, scalar: bigint): Point | undefined {
  let result: Point | undefined;
  let addend: Point | undefined = point;
  for (let rest = scalar; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = add(curve, result, addend);
    addend = add(curve, addend, addend);
  }
  return result;
}
