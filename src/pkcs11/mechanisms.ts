import * as input from '../card/contract/input.js';
import { assertCanDecrypt } from '../card/contract/request-checks.js';
import type { HashName } from '../card/contract/smart-card.js';
import { InvalidInputError, KeyUsageError } from '../errors.js';
import { oaepDecode } from '../lib/rsa-padding.js';
import { ckrOf, type Handle } from './binding.js';
import { digest, digestInfo, rsaModulus } from './key-encodings.js';
import type { TokenObjects } from './objects.js';
import type { TokenSession } from './token.js';

const HASH_MECHANISM = {
  'SHA-1': 'CKM_SHA1_RSA_PKCS',
  'SHA-256': 'CKM_SHA256_RSA_PKCS',
  'SHA-384': 'CKM_SHA384_RSA_PKCS',
  'SHA-512': 'CKM_SHA512_RSA_PKCS',
} as const;

/** CKRs of a decryption that mean the ciphertext does not decrypt with the key. */
const NOT_DECRYPTED = new Set([
  'CKR_ENCRYPTED_DATA_INVALID',
  'CKR_ENCRYPTED_DATA_LEN_RANGE',
  'CKR_DATA_INVALID',
  'CKR_DATA_LEN_RANGE',
]);

/** CKRs of `C_DecryptInit` with OAEP that mean the token's OAEP lacks the parameters. */
const OAEP_UNSUPPORTED = new Set([
  'CKR_MECHANISM_PARAM_INVALID',
  'CKR_ARGUMENTS_BAD',
  'CKR_MECHANISM_INVALID',
]);

/**
 * Signing and decrypting with a container's private key, by the mechanisms the token offers,
 * and what the SDK adds where one is missing.
 *
 * @example
 * ```ts
 * import { TokenMechanisms } from './mechanisms.js';
 * import type { TokenObjects } from './objects.js';
 * import type { TokenSession } from './token.js';
 *
 * declare const session: TokenSession;
 * declare const objects: TokenObjects;
 * declare const data: Uint8Array<ArrayBuffer>; // what to sign
 * const mechanisms = new TokenMechanisms(session, objects);
 * const signature = await mechanisms.sign('my-container', data, { hash: 'SHA-256' });
 * ```
 *
 * @category Cards
 */
export class TokenMechanisms {
  readonly #session: TokenSession;
  readonly #objects: TokenObjects;

  constructor(session: TokenSession, objects: TokenObjects) {
    this.#session = session;
    this.#objects = objects;
  }

  /**
   * Signs on the token: `CKM_SHA*_RSA_PKCS` (or the hash's DigestInfo with `CKM_RSA_PKCS` when
   * the token lacks the combined mechanism), or `CKM_ECDSA` over the hash (r‖s).
   */
  async sign(
    container: string,
    data: Uint8Array<ArrayBuffer>,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const hash = input.hashName(input.options<{ hash: HashName }>(options, 'sign options').hash);
    const message = Buffer.from(input.bytes(data, 'data', input.MAX_SIGN_BYTES));
    const session = this.#session.requirePin();
    const keyContainer = this.#objects.named(container);
    const key = this.#objects.privateKey(session, keyContainer);
    const { pk, lib } = this.#session;
    const mechanisms = this.#session.mechanisms();
    let mechanism: number;
    let signed: Buffer;
    if (keyContainer.algorithm.startsWith('RSA')) {
      const combined = pk[HASH_MECHANISM[hash]];
      if (mechanisms.includes(combined)) {
        mechanism = combined;
        signed = message;
      } else {
        mechanism = pk.CKM_RSA_PKCS;
        signed = digestInfo(hash, message);
      }
    } else {
      mechanism = pk.CKM_ECDSA;
      signed = digest(hash, message);
    }
    lib.C_SignInit(session, { mechanism }, key);
    const signature = await lib.C_SignAsync(session, signed, Buffer.alloc(1024));
    return new Uint8Array(signature);
  }

  /**
   * Decrypts RSA-OAEP on the token: `CKM_RSA_PKCS_OAEP`, or, when the token's OAEP lacks the
   * hash (SoftHSM2 has only SHA-1), the raw RSA operation `CKM_RSA_X_509` on the token and the
   * OAEP unpadding in the SDK.
   */
  async decrypt(
    container: string,
    ciphertext: Uint8Array<ArrayBuffer>,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const checked = input.options<{ hash: 'SHA-1' | 'SHA-256' }>(options, 'decrypt options');
    const hash = input.hashName(checked.hash, ['SHA-1', 'SHA-256']) as 'SHA-1' | 'SHA-256';
    const data = Buffer.from(input.bytes(ciphertext, 'ciphertext', 512));
    const session = this.#session.requirePin();
    const keyContainer = this.#objects.named(container);
    assertCanDecrypt(container, keyContainer.keySpec, keyContainer.algorithm, data);
    const size = Number(keyContainer.algorithm.slice(4)) / 8;
    // RSADP's range check (RFC 8017 §5.1.2), and 0 and 1, which no OAEP padding gives: the
    // token is not asked (a TPM answers a zero ciphertext with TPM_RC_FAILURE).
    const modulus = rsaModulus(keyContainer.spki);
    const value = BigInt(`0x${data.toString('hex')}`);
    if (value < 2n || value >= modulus) {
      throw new InvalidInputError('The ciphertext does not decrypt with this key.');
    }
    const key = this.#objects.privateKey(session, keyContainer);
    const plain = await this.#decrypt(session, key, hash, data, size);
    if (plain === undefined) {
      throw new InvalidInputError('The ciphertext does not decrypt with this key.');
    }
    return new Uint8Array(plain);
  }

  /** The plaintext, or `undefined` when the ciphertext does not decrypt with `key`. */
  async #decrypt(
    session: Handle,
    key: Handle,
    hash: 'SHA-1' | 'SHA-256',
    data: Buffer,
    size: number,
  ): Promise<Uint8Array | undefined> {
    const { pk, lib } = this.#session;
    const mechanisms = this.#session.mechanisms();
    if (mechanisms.includes(pk.CKM_RSA_PKCS_OAEP)) {
      const parameter = {
        type: pk.CK_PARAMS_RSA_OAEP,
        hashAlg: hash === 'SHA-1' ? pk.CKM_SHA_1 : pk.CKM_SHA256,
        mgf: hash === 'SHA-1' ? pk.CKG_MGF1_SHA1 : pk.CKG_MGF1_SHA256,
        source: 1, // CKZ_DATA_SPECIFIED, with no label
      };
      let started = false;
      try {
        lib.C_DecryptInit(session, { mechanism: pk.CKM_RSA_PKCS_OAEP, parameter }, key);
        started = true;
        return lib.C_Decrypt(session, data, Buffer.alloc(size));
      } catch (error) {
        const ckr = ckrOf(error) ?? '';
        if (started && NOT_DECRYPTED.has(ckr)) return undefined;
        const unsupported = !started && OAEP_UNSUPPORTED.has(ckr);
        if (!unsupported || !mechanisms.includes(pk.CKM_RSA_X_509)) throw error;
      }
    } else if (!mechanisms.includes(pk.CKM_RSA_X_509)) {
      throw new KeyUsageError('This token cannot decrypt with RSA-OAEP.');
    }
    let raw: Buffer;
    try {
      lib.C_DecryptInit(session, { mechanism: pk.CKM_RSA_X_509 }, key);
      raw = lib.C_Decrypt(session, data, Buffer.alloc(size));
    } catch (error) {
      if (NOT_DECRYPTED.has(ckrOf(error) ?? '')) return undefined;
      throw error;
    }
    const em = Buffer.alloc(size);
    raw.copy(em, size - raw.length);
    return oaepDecode(globalThis.crypto.subtle, hash, em);
  }
}
