/**
 * DES and triple DES (FIPS 46-3, NIST SP 800-67) on single 8-byte blocks, the ECB step a PIV
 * card's 3DES management key needs. WebCrypto has no DES, so the test card carries this one. It
 * favours plainness over speed (bits as arrays): a card authenticates a few blocks at a time.
 * Tests only; never for anything real.
 */

/** Bit positions (1 = the most significant bit of the input) each output bit is taken from. */
type Permutation = readonly number[];

const rows = (text: string): number[] => text.trim().split(/\s+/).map(Number);

const INITIAL: Permutation = rows(`
  58 50 42 34 26 18 10 2  60 52 44 36 28 20 12 4  62 54 46 38 30 22 14 6  64 56 48 40 32 24 16 8
  57 49 41 33 25 17 9 1   59 51 43 35 27 19 11 3  61 53 45 37 29 21 13 5  63 55 47 39 31 23 15 7`);

/** The final permutation undoes the initial one. */
const FINAL: Permutation = INITIAL.map((_, index) => INITIAL.indexOf(index + 1) + 1);

/** E: each 4-bit group of R with its two neighbours, wrapping round (32 bits to 48). */
const EXPANSION: Permutation = Array.from({ length: 48 }, (_, index) => {
  const position = Math.floor(index / 6) * 4 + (index % 6); // 0 .. 33, less one at the start
  return ((position + 31) % 32) + 1;
});

const ROUND_PERMUTATION: Permutation = rows(`
  16 7 20 21 29 12 28 17  1 15 23 26 5 18 31 10  2 8 24 14 32 27 3 9  19 13 30 6 22 11 4 25`);

const KEY_CHOICE_1: Permutation = rows(`
  57 49 41 33 25 17 9  1 58 50 42 34 26 18  10 2 59 51 43 35 27  19 11 3 60 52 44 36
  63 55 47 39 31 23 15  7 62 54 46 38 30 22  14 6 61 53 45 37 29  21 13 5 28 20 12 4`);

const KEY_CHOICE_2: Permutation = rows(`
  14 17 11 24 1 5  3 28 15 6 21 10  23 19 12 4 26 8  16 7 27 20 13 2
  41 52 31 37 47 55  30 40 51 45 33 48  44 49 39 56 34 53  46 42 50 36 29 32`);

/** How far C and D rotate left before each round. */
const ROTATIONS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/** The eight S-boxes, each four rows of 16 hex digits. */
const SUBSTITUTIONS: readonly number[][] = [
  'e4d12fb83a6c5907 0f74e2d1a6cb9538 41e8d62bfc973a50 fc8249175b3ea06d',
  'f18e6b34972dc05a 3d47f28ec01a69b5 0e7ba4d158c6932f d8a13f42b67c05e9',
  'a09e63f51dc7b428 d709346a285ecbf1 d6498f30b12c5ae7 1ad069874fe3b52c',
  '7de3069a1285bc4f d8b56f03472c1ae9 a690cb7df13e5284 3f06a1d8945bc72e',
  '2c417ab6853fd0e9 eb2c47d150fa3986 421bad78f9c5630e b8c71e2d6f09a453',
  'c1af92680d34e75b af427c9561de0b38 9ef528c3704a1db6 432c95fabe17608d',
  '4b2ef08d3c975a61 d0b7491ae35c2f86 14bdc37eaf680592 6bd814a7950fe23c',
  'd2846fb1a93e50c7 1fd8a374c56b0e92 7b419ce206adf358 21e74a8dfc90356b',
].map((box) => [...box.replaceAll(' ', '')].map((digit) => Number.parseInt(digit, 16)));

type Bits = number[];

const permute = (bits: Bits, table: Permutation): Bits =>
  table.map((position) => bits[position - 1] as number);

function toBits(bytes: Uint8Array): Bits {
  return [...bytes].flatMap((byte) =>
    Array.from({ length: 8 }, (_, bit) => (byte >> (7 - bit)) & 1),
  );
}

function toBytes(bits: Bits): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((bit, index) => {
    out[index >> 3] = ((out[index >> 3] as number) << 1) | bit;
  });
  return out;
}

const rotate = (half: Bits, count: number): Bits => [...half.slice(count), ...half.slice(0, count)];

/** The 16 round keys (48 bits each) of an 8-byte DES key; its parity bits are ignored. */
function roundKeys(key: Uint8Array): Bits[] {
  const chosen = permute(toBits(key), KEY_CHOICE_1);
  let left = chosen.slice(0, 28);
  let right = chosen.slice(28);
  return ROTATIONS.map((count) => {
    left = rotate(left, count);
    right = rotate(right, count);
    return permute([...left, ...right], KEY_CHOICE_2);
  });
}

/** The round function f(R, K): expand, mix in the key, substitute, permute. */
function feistel(right: Bits, roundKey: Bits): Bits {
  const mixed = permute(right, EXPANSION).map((bit, index) => bit ^ (roundKey[index] as number));
  const substituted: Bits = [];
  for (let box = 0; box < 8; box++) {
    const [b1, b2, b3, b4, b5, b6] = mixed.slice(box * 6, box * 6 + 6) as number[];
    const row = ((b1 as number) << 1) | (b6 as number);
    const column =
      ((b2 as number) << 3) | ((b3 as number) << 2) | ((b4 as number) << 1) | (b5 as number);
    const value = SUBSTITUTIONS[box]?.[row * 16 + column] as number;
    substituted.push((value >> 3) & 1, (value >> 2) & 1, (value >> 1) & 1, value & 1);
  }
  return permute(substituted, ROUND_PERMUTATION);
}

function desBlock(block: Uint8Array, keys: readonly Bits[]): Uint8Array<ArrayBuffer> {
  const permuted = permute(toBits(block), INITIAL);
  let left = permuted.slice(0, 32);
  let right = permuted.slice(32);
  for (const roundKey of keys) {
    const mixed = feistel(right, roundKey);
    const next = left.map((bit, index) => bit ^ (mixed[index] as number));
    left = right;
    right = next;
  }
  return toBytes(permute([...right, ...left], FINAL));
}

function checkBlock(block: Uint8Array): void {
  if (block.length !== 8) throw new RangeError('a DES block is 8 bytes');
}

/** Encrypts one 8-byte block with single DES (`key`: 8 bytes). */
export function desEncrypt(key: Uint8Array, block: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBlock(block);
  return desBlock(block, roundKeys(key));
}

/** Decrypts one 8-byte block with single DES. */
export function desDecrypt(key: Uint8Array, block: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBlock(block);
  return desBlock(block, roundKeys(key).reverse());
}

/** The three DES keys of a 3DES key: 24 bytes (three keys) or 16 (the third is the first). */
function tripleKeys(key: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  if (key.length !== 16 && key.length !== 24) throw new RangeError('a 3DES key is 16 or 24 bytes');
  const first = key.subarray(0, 8);
  return [first, key.subarray(8, 16), key.length === 24 ? key.subarray(16, 24) : first];
}

/** Encrypts one 8-byte block with 3DES (TDEA, encrypt-decrypt-encrypt). */
export function tripleDesEncrypt(key: Uint8Array, block: Uint8Array): Uint8Array<ArrayBuffer> {
  const [first, second, third] = tripleKeys(key);
  return desEncrypt(third, desDecrypt(second, desEncrypt(first, block)));
}

/** Decrypts one 8-byte block with 3DES (decrypt-encrypt-decrypt). */
export function tripleDesDecrypt(key: Uint8Array, block: Uint8Array): Uint8Array<ArrayBuffer> {
  const [first, second, third] = tripleKeys(key);
  return desDecrypt(first, desEncrypt(second, desDecrypt(third, block)));
}
