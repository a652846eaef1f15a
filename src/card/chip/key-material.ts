import type { WebCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { internalSlot } from '../../lib/internal-slot.js';
import type { HashName, KeyAlgorithmName } from '../contract/key-containers.js';

/**
 * A key pair as the chip keeps it in its own memory. Never leaves the chip: the card API hands
 * out only the public key, and CryptoKey handles made from it are not extractable.
 *
 * @category Cards
 */
export interface KeyMaterial {
  readonly algorithm: KeyAlgorithmName;
  readonly pkcs8: Uint8Array<ArrayBuffer>;
  readonly spki: Uint8Array<ArrayBuffer>;
}

/**
 * Where a chip's new key pairs come from. The default generates them with WebCrypto; a test kit
 * may hand out pre-generated fixture keys instead, to keep RSA key generation out of test runs.
 *
 * @internal
 */
export type KeySource = (algorithm: KeyAlgorithmName, crypto: WebCrypto) => Promise<KeyMaterial>;

export const KEY_ALGORITHMS: readonly KeyAlgorithmName[] = [
  'RSA-2048',
  'RSA-3072',
  'RSA-4096',
  'ECDSA-P256',
  'ECDSA-P384',
];

/**
 * The WebCrypto parameters to import a key of `algorithm` for RSASSA-PKCS1-v1_5 (with `hash`,
 * SHA-256 by default) or ECDSA (its curve).
 *
 * @example
 * ```ts
 * import { signingParams } from './key-material.js';
 *
 * declare const spki: Uint8Array<ArrayBuffer>; // a P-384 public key
 * const params = signingParams('ECDSA-P384'); // { name: 'ECDSA', namedCurve: 'P-384' }
 * const key = await crypto.subtle.importKey('spki', spki, params, true, ['verify']);
 * ```
 *
 * @category Cards
 */
export function signingParams(
  algorithm: KeyAlgorithmName,
  hash: HashName = 'SHA-256',
): RsaHashedImportParams | EcKeyImportParams {
  return algorithm.startsWith('R')
    ? { name: 'RSASSA-PKCS1-v1_5', hash }
    : { name: 'ECDSA', namedCurve: `P-${algorithm.slice(7)}` }; // 'ECDSA-P384': 'P-384'
}

export const HASHES: readonly HashName[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

/** Generates a key pair with WebCrypto and takes its private half into chip memory.
 *
 * @category Cards
 */
export const generateKeyMaterial: KeySource = async (algorithm, crypto) => {
  const params: RsaHashedKeyGenParams | EcKeyGenParams = algorithm.startsWith('R')
    ? {
        ...(signingParams(algorithm) as RsaHashedImportParams),
        modulusLength: Number(algorithm.slice(4)),
        publicExponent: new Uint8Array([1, 0, 1]),
      }
    : (signingParams(algorithm) as EcKeyGenParams);
  const pair = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const [pkcs8, spki] = await Promise.all([
    crypto.subtle.exportKey('pkcs8', pair.privateKey),
    crypto.subtle.exportKey('spki', pair.publicKey),
  ]);
  return { algorithm, pkcs8: new Uint8Array(pkcs8), spki: new Uint8Array(spki) };
};

/**
 * Key material from a PKCS#8 private key brought to the card (a key import, as PIV's IMPORT
 * ASYMMETRIC KEY). Only the algorithms a card generates are accepted.
 *
 * @category Cards
 */
export async function importKeyMaterial(
  crypto: Crypto,
  pkcs8: Uint8Array<ArrayBuffer>,
): Promise<KeyMaterial> {
  // An RSA key imports as any RSA algorithm (its size is read from the key); an EC key only as
  // its curve's.
  for (const kind of KEY_ALGORITHMS) {
    const params = signingParams(kind);
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
    } catch {
      continue;
    }
    const jwk = await crypto.subtle.exportKey('jwk', key);
    const rsa = kind.startsWith('R');
    const algorithm = rsa ? rsaName(key) : kind;
    if (algorithm === undefined || (rsa && jwk.e !== 'AQAB')) {
      throw new InvalidInputError(
        'A card holds RSA keys of 2048, 3072 or 4096 bits with exponent 65537.',
      );
    }
    delete jwk.d;
    for (const field of ['p', 'q', 'dp', 'dq', 'qi'] as const) delete jwk[field];
    jwk.key_ops = ['verify'];
    const pub = await crypto.subtle.importKey('jwk', jwk, params, true, ['verify']);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pub));
    const canonical = new Uint8Array(await crypto.subtle.exportKey('pkcs8', key));
    return { algorithm, pkcs8: canonical, spki };
  }
  throw new InvalidInputError('The private key is not a PKCS#8 RSA, P-256 or P-384 key.');
}

function rsaName(key: CryptoKey): KeyAlgorithmName | undefined {
  const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  const name = `RSA-${bits}` as KeyAlgorithmName;
  return KEY_ALGORITHMS.includes(name) ? name : undefined;
}

/** Non-extractable CryptoKey handles made from chip memory, one per use and hash.
 *
 * @category Cards
 */
export class KeyHandles {
  readonly #cache = new Map<string, Promise<CryptoKey>>();

  constructor(private readonly crypto: Crypto) {}

  signing(material: KeyMaterial, hash: HashName): Promise<CryptoKey> {
    return this.#get(material, `sign:${hash}`, signingParams(material.algorithm, hash), ['sign']);
  }

  decrypting(material: KeyMaterial, hash: 'SHA-1' | 'SHA-256'): Promise<CryptoKey> {
    return this.#get(material, `decrypt:${hash}`, { name: 'RSA-OAEP', hash }, ['decrypt']);
  }

  /** Forgets every handle made from `material` (a deleted or replaced container). */
  forget(material: KeyMaterial): void {
    for (const key of [...this.#cache.keys()]) {
      if (key.endsWith(`|${fingerprint(material)}`)) this.#cache.delete(key);
    }
  }

  #get(
    material: KeyMaterial,
    use: string,
    params: RsaHashedImportParams | EcKeyImportParams,
    usages: KeyUsage[],
  ): Promise<CryptoKey> {
    const id = `${use}|${fingerprint(material)}`;
    let handle = this.#cache.get(id);
    if (handle === undefined) {
      handle = this.crypto.subtle.importKey('pkcs8', material.pkcs8, params, false, usages);
      handle.catch(() => this.#cache.delete(id));
      this.#cache.set(id, handle);
    }
    return handle;
  }
}

/** The per-process identity of each key material object (see src/lib/internal-slot.ts). */
const keyIds = internalSlot<KeyMaterial, string>('key material id');
let lastKeyId = 0;

/** A per-process identity for a key material object (not derived from the key). */
function fingerprint(material: KeyMaterial): string {
  let id = keyIds.find(material);
  if (id === undefined) {
    lastKeyId += 1;
    id = String(lastKeyId);
    keyIds.set(material, id);
  }
  return id;
}
