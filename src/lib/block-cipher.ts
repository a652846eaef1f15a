/**
 * One block of a block cipher in ECB, encrypted or decrypted: 3DES (des.ts) or AES (WebCrypto),
 * as a PIV management key's challenge-response uses it on both sides of the card link. WebCrypto
 * has no ECB: one AES-CBC block under a zero IV is one ECB block, and a lone block decrypts
 * once a second block that decrypts to a full PKCS#7 padding block is put after it. Internal.
 */
import { concatBytes } from './bytes.js';
import { tripleDesCrypt } from './des.js';

/** The ciphers a management key uses. */
export type BlockCipherName = '3DES' | 'AES';

/** A cipher's block length: 8 bytes for 3DES, 16 for AES. */
export function blockLength(cipher: BlockCipherName): number {
  return cipher === '3DES' ? 8 : 16;
}

function checkBlock(cipher: BlockCipherName, block: Uint8Array): void {
  if (block.length !== blockLength(cipher)) {
    throw new RangeError(`a ${cipher} block is ${blockLength(cipher)} bytes`);
  }
}

async function aesKey(subtle: SubtleCrypto, key: Uint8Array, usage: 'encrypt' | 'decrypt') {
  return subtle.importKey('raw', new Uint8Array(key), { name: 'AES-CBC' }, false, [usage]);
}

/** One block in, one block out, under `key` (16 or 24 bytes for 3DES; 16, 24 or 32 for AES). */
export type BlockOperation = (
  subtle: SubtleCrypto,
  cipher: BlockCipherName,
  key: Uint8Array,
  block: Uint8Array,
) => Promise<Uint8Array<ArrayBuffer>>;

/** Encrypts one block under `key`. */
export const encryptBlock: BlockOperation = async (subtle, cipher, key, block) => {
  checkBlock(cipher, block);
  if (cipher === '3DES') return tripleDesCrypt(key, block);
  return aesEncryptFirst(subtle, await aesKey(subtle, key, 'encrypt'), new Uint8Array(16), block);
};

/** Decrypts one block under `key`. */
export const decryptBlock: BlockOperation = async (subtle, cipher, key, block) => {
  checkBlock(cipher, block);
  if (cipher === '3DES') return tripleDesCrypt(key, block, true);
  // A second block C2 = E(C1 xor padding) makes [C1, C2] a CBC ciphertext whose last block is
  // a full block of PKCS#7 padding, which WebCrypto strips: what is left is D(C1).
  const padding = new Uint8Array(16).fill(16);
  const encrypting = await aesKey(subtle, key, 'encrypt');
  const second = await aesEncryptFirst(subtle, encrypting, new Uint8Array(block), padding);
  const decrypting = await aesKey(subtle, key, 'decrypt');
  const plain = await subtle.decrypt(
    { name: 'AES-CBC', iv: new Uint8Array(16) },
    decrypting,
    concatBytes(block, second),
  );
  return new Uint8Array(plain);
};

/** The first CBC block of `block` under `iv`: E(iv xor block). */
async function aesEncryptFirst(
  subtle: SubtleCrypto,
  key: CryptoKey,
  iv: Uint8Array<ArrayBuffer>,
  block: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const encrypted = await subtle.encrypt({ name: 'AES-CBC', iv }, key, new Uint8Array(block));
  return new Uint8Array(encrypted, 0, 16).slice();
}
