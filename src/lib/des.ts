/**
 * DES and Triple DES (FIPS 46-3, NIST SP 800-67), one 8-byte block at a time, for the PIV
 * management key (algorithm 03) on both sides of a card link: WebCrypto has no DES. Only the
 * block function, as the PIV challenge-response uses it (ECB on one block); no modes, no padding.
 * Written for correctness, not speed: a few blocks per card session. Internal: never exported.
 */

/** Initial permutation: output bit i is input bit IP[i] (1-based, most significant first). */
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64,
  56, 48, 40, 32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53,
  45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];

/** The final permutation, IP's inverse. */
const FP = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31, 38, 6, 46, 14, 54, 22, 62, 30, 37,
  5, 45, 13, 53, 21, 61, 29, 36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27, 34, 2,
  42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25,
];

/** The expansion of the 32-bit half to 48 bits. */
const EXPANSION = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, 16, 17, 18, 19,
  20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];

/** The permutation after the S-boxes. */
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13,
  30, 6, 22, 11, 4, 25,
];

/** Permuted choice 1: the 56 key bits (parity bits dropped), as C then D. */
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60,
  52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21,
  13, 5, 28, 20, 12, 4,
];

/** Permuted choice 2: a round's 48-bit subkey from C and D. */
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52,
  31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

/** Left rotations of C and D before each round. */
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/** The eight S-boxes, each 4 rows of 16 hex digits, indexed by row * 16 + column. */
const S_BOXES: readonly (readonly number[])[] = [
  'e4d12fb83a6c5907 0f74e2d1a6cb9538 41e8d62bfc973a50 fc8249175b3ea06d',
  'f18e6b34972dc05a 3d47f28ec01a69b5 0e7ba4d158c6932f d8a13f42b67c05e9',
  'a09e63f51dc7b428 d709346a285ecbf1 d6498f30b12c5ae7 1ad069874fe3b52c',
  '7de3069a1285bc4f d8b56f03472c1ae9 a690cb7df13e5284 3f06a1d8945bc72e',
  '2c417ab6853fd0e9 eb2c47d150fa3986 421bad78f9c5630e b8c71e2d6f09a453',
  'c1af92680d34e75b af427c9561de0b38 9ef528c3704a1db6 432c95fabe17608d',
  '4b2ef08d3c975a61 d0b7491ae35c2f86 14bdc37eaf680592 6bd814a7950fe23c',
  'd2846fb1a93e50c7 1fd8a374c56b0e92 7b419ce206adf358 21e74a8dfc90356b',
].map((box) => [...box.replaceAll(' ', '')].map((digit) => Number.parseInt(digit, 16)));

/** A bit string as 0/1 numbers, most significant bit of the first byte first. */
type Bits = number[];

function toBits(bytes: Uint8Array): Bits {
  const bits: Bits = [];
  for (const byte of bytes) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  return bits;
}

function fromBits(bits: Bits): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((bit, i) => {
    out[i >> 3] = ((out[i >> 3] as number) << 1) | bit;
  });
  return out;
}

const permute = (bits: Bits, table: readonly number[]): Bits =>
  table.map((position) => bits[position - 1] as number);

const rotate = (bits: Bits, count: number): Bits => [...bits.slice(count), ...bits.slice(0, count)];

/** The 16 round subkeys of an 8-byte DES key (its parity bits ignored). */
function subkeys(key: Uint8Array): Bits[] {
  const chosen = permute(toBits(key), PC1);
  let left = chosen.slice(0, 28);
  let right = chosen.slice(28);
  return SHIFTS.map((shift) => {
    left = rotate(left, shift);
    right = rotate(right, shift);
    return permute([...left, ...right], PC2);
  });
}

/** The round function f(R, K). */
function feistel(half: Bits, subkey: Bits): Bits {
  const mixed = permute(half, EXPANSION).map((bit, i) => bit ^ (subkey[i] as number));
  const substituted: Bits = [];
  for (let box = 0; box < 8; box++) {
    const six = mixed.slice(box * 6, box * 6 + 6) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const row = (six[0] << 1) | six[5];
    const column = (six[1] << 3) | (six[2] << 2) | (six[3] << 1) | six[4];
    const value = S_BOXES[box]?.[row * 16 + column] as number;
    for (let i = 3; i >= 0; i--) substituted.push((value >> i) & 1);
  }
  return permute(substituted, P);
}

/** One DES block with the subkeys in the order given (reversed to decrypt). */
function desBlock(block: Uint8Array, keys: readonly Bits[]): Uint8Array<ArrayBuffer> {
  const permuted = permute(toBits(block), IP);
  let left = permuted.slice(0, 32);
  let right = permuted.slice(32);
  for (const subkey of keys) {
    const next = feistel(right, subkey).map((bit, i) => bit ^ (left[i] as number));
    left = right;
    right = next;
  }
  return fromBits(permute([...right, ...left], FP));
}

function checkBlock(block: Uint8Array, key: Uint8Array, keyLengths: readonly number[]): void {
  if (block.length !== 8) throw new RangeError('a DES block is 8 bytes');
  if (!keyLengths.includes(key.length)) {
    throw new RangeError(`a key of ${keyLengths.join(' or ')} bytes`);
  }
}

/** DES-encrypts (or, with `decrypt`, decrypts) one 8-byte block under an 8-byte key. */
export function desCrypt(
  key: Uint8Array,
  block: Uint8Array,
  decrypt = false,
): Uint8Array<ArrayBuffer> {
  checkBlock(block, key, [8]);
  const keys = subkeys(key);
  return desBlock(block, decrypt ? keys.reverse() : keys);
}

/**
 * Triple DES (TDEA, encrypt-decrypt-encrypt) of one 8-byte block under a 24-byte key (three
 * keys) or a 16-byte one (keying option 2: K3 = K1). `decrypt` runs the inverse.
 */
export function tripleDesCrypt(
  key: Uint8Array,
  block: Uint8Array,
  decrypt = false,
): Uint8Array<ArrayBuffer> {
  checkBlock(block, key, [16, 24]);
  const first = key.subarray(0, 8);
  const second = key.subarray(8, 16);
  const third = key.length === 24 ? key.subarray(16, 24) : first;
  if (decrypt) {
    return desCrypt(first, desCrypt(second, desCrypt(third, block, true)), true);
  }
  return desCrypt(third, desCrypt(second, desCrypt(first, block), true));
}
