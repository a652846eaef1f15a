/**
 * The keys and signature algorithms a path may use, and signature checks with WebCrypto:
 * RSASSA-PKCS1-v1_5 with RSA keys of 2048 to 4096 bits (a multiple of 8) and an odd public
 * exponent from 3 to 2³²−1, and ECDSA on P-256, P-384 and P-521, each with SHA-256, SHA-384 or
 * SHA-512. SHA-1, DSA, small curves and explicit curve parameters are refused. The bounds on
 * RSA keys bound the cost of one check (an RSA-8192 key with a 64-bit exponent costs about 90
 * times a normal one); {@link SignatureChecker} bounds how many checks one validation makes.
 * Internal.
 */
import { readSingle, type Tlv, unreadable } from '../../lib/der.js';
import { ecdsaP1363 } from '../../lib/ecdsa.js';
import { getOrInsert } from '../../lib/maps.js';
import { signatureSchemeOf } from '../../lib/signature-algorithms.js';
import { contentOf, expect, oidOf, sequence } from './asn1.js';

/** A public key a path may use.
 *
 * @category Server
 */
export type KeyFacts =
  | { readonly kind: 'rsa'; readonly bits: number }
  | { readonly kind: 'ec'; readonly curve: 'P-256' | 'P-384' | 'P-521'; readonly size: number };

/** The largest RSA modulus a path or a card's answer may use, in bits.
 *
 * @category Server
 */
export const MAX_RSA_BITS = 4096;

/**
 * How many signature checks one validation may make by default (issuers' signatures and CRLs'
 * together; answers from the result cache are free): twice the default `maxWork`.
 *
 * @category Server
 */
export const DEFAULT_MAX_CHECKS = 128;

/**
 * Thrown by {@link SignatureChecker.verify} when a validation has made all the signature checks
 * it may; path building turns it into `too-much-work`.
 *
 * @category Server
 */
export class CheckBudgetExceeded extends Error {
  override readonly name = 'CheckBudgetExceeded';
}

const CURVES: Readonly<Record<string, { curve: 'P-256' | 'P-384' | 'P-521'; size: number }>> = {
  '1.2.840.10045.3.1.7': { curve: 'P-256', size: 32 },
  '1.3.132.0.34': { curve: 'P-384', size: 48 },
  '1.3.132.0.35': { curve: 'P-521', size: 66 },
};

/** The facts of a DER SubjectPublicKeyInfo, or why the key is not acceptable.
 *
 * @category Server
 */
export function keyFacts(spki: Uint8Array): KeyFacts | string {
  try {
    const [algorithm, key] = sequence(spki, readSingle(spki));
    const [type, parameters] = sequence(spki, algorithm);
    const oid = oidOf(spki, type);
    if (oid === '1.2.840.10045.2.1') {
      if (parameters?.tag !== 0x06) return 'an EC key with explicit curve parameters';
      const curve = CURVES[oidOf(spki, parameters)];
      return curve === undefined ? 'an EC key on an unsupported curve' : { kind: 'ec', ...curve };
    }
    if (oid !== '1.2.840.113549.1.1.1') return `a key of unsupported type ${oid}`;
    expect(key?.tag === 0x03, 'no subjectPublicKey');
    const bits = contentOf(spki, key).subarray(1);
    const [modulus, exponent] = sequence(bits, readSingle(bits));
    let modulusBytes = contentOf(bits, modulus as Tlv);
    if (modulusBytes[0] === 0) modulusBytes = modulusBytes.subarray(1);
    const size =
      modulusBytes.length === 0
        ? 0
        : (modulusBytes.length - 1) * 8 + 32 - Math.clz32(modulusBytes[0] ?? 0);
    if (size < 2048 || size > MAX_RSA_BITS || size % 8 !== 0) return `an RSA key of ${size} bits`;
    // An exponent of 1 (or any even one) makes every "signature" forgeable: odd and at least 3.
    // A long one makes every check slow: at most 32 bits, as many verifiers allow (65537 is
    // the norm).
    let exponentBytes = contentOf(bits, exponent as Tlv);
    if (exponentBytes[0] === 0) exponentBytes = exponentBytes.subarray(1);
    const odd = ((exponentBytes[exponentBytes.length - 1] ?? 0) & 1) === 1;
    if (
      exponentBytes.length === 0 ||
      exponentBytes.length > 4 ||
      !odd ||
      (exponentBytes.length === 1 && (exponentBytes[0] ?? 0) < 3)
    ) {
      return 'an RSA key whose public exponent is not an odd number from 3 to 2^32-1';
    }
    return { kind: 'rsa', bits: size };
  } catch (error) {
    return `a malformed public key: ${unreadable(error)}`;
  }
}

/**
 * Imported keys by the SPKI array they came from (its identity, not its bytes) and hash: a
 * `WeakMap`, so that a cache shared across validations holds keys only as long as the parsed
 * certificates that own them are alive.
 *
 * @category Server
 */
export type KeyCache = WeakMap<Uint8Array, Map<string, Promise<CryptoKey>>>;

/**
 * The WebCrypto parameters that verify with `hash` under `spki` (a key as `key` describes it),
 * and its key, imported once per SPKI array and hash into `keys`: path validation and the check
 * of a card's answer share one cache. The import is kept as a promise, which rejects when
 * WebCrypto refuses the key.
 *
 * @category Server
 */
export function verifyingKey(
  crypto: Crypto,
  keys: KeyCache,
  spki: Uint8Array,
  key: KeyFacts,
  hash: string,
) {
  const params =
    key.kind === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash }
      : { name: 'ECDSA', namedCurve: key.curve, hash };
  const byHash = getOrInsert(keys, spki, () => new Map());
  const publicKey = getOrInsert(byHash, hash, () => {
    const imported = crypto.subtle.importKey('spki', copy(spki), params, false, ['verify']);
    imported.catch(() => undefined);
    return imported;
  });
  return { params, publicKey };
}

/**
 * Signature check results by the signature array and the SPKI array (their identities): for
 * certificates and CRLs parsed once and kept, whose bytes never change.
 *
 * @category Server
 */
export type ResultCache = WeakMap<Uint8Array, WeakMap<Uint8Array, Promise<boolean | string>>>;

/**
 * Checks signatures, caching imported keys (in `keys`, which may be shared) and, when given
 * `results`, the outcome of each check, so that a signature between two kept certificates is
 * checked once. Only share caches between parses of bytes nobody can change. One checker
 * serves one validation: after `maxChecks` checks (cached answers not counted) `verify` throws
 * {@link CheckBudgetExceeded}.
 *
 * @category Server
 */
export class SignatureChecker {
  readonly #crypto: Crypto;
  readonly #keys: KeyCache;
  readonly #results: ResultCache | undefined;
  readonly #maxChecks: number;
  #checks = 0;

  constructor(
    crypto: Crypto,
    keys: KeyCache = new WeakMap(),
    results?: ResultCache,
    maxChecks = DEFAULT_MAX_CHECKS,
  ) {
    this.#crypto = crypto;
    this.#keys = keys;
    this.#results = results;
    this.#maxChecks = maxChecks;
  }

  /** How many signature checks this checker has made (cached answers not counted). */
  get checks(): number {
    return this.#checks;
  }

  /**
   * Whether `signature` over `data` with `algorithm` (a DER AlgorithmIdentifier) verifies under
   * `spki`, or why the algorithm cannot be used with this key. Throws
   * {@link CheckBudgetExceeded} when the check would pass the checker's budget.
   */
  verify(
    spki: Uint8Array,
    key: KeyFacts,
    algorithm: Uint8Array,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean | string> {
    const results = this.#results;
    if (results === undefined) return this.#counted(spki, key, algorithm, data, signature);
    const bySpki = getOrInsert(results, signature, () => new WeakMap());
    return getOrInsert(bySpki, spki, () => this.#counted(spki, key, algorithm, data, signature));
  }

  #counted(
    spki: Uint8Array,
    key: KeyFacts,
    algorithm: Uint8Array,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean | string> {
    if (this.#checks >= this.#maxChecks) {
      throw new CheckBudgetExceeded(`more than ${this.#maxChecks} signature checks`);
    }
    this.#checks += 1;
    return this.#verify(spki, key, algorithm, data, signature);
  }

  async #verify(
    spki: Uint8Array,
    key: KeyFacts,
    algorithm: Uint8Array,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean | string> {
    let oid: string;
    try {
      const parts = sequence(algorithm, readSingle(algorithm));
      oid = oidOf(algorithm, parts[0]);
    } catch {
      return 'a malformed signature algorithm';
    }
    const scheme = signatureSchemeOf(oid);
    // SHA-1 signatures are never accepted on a sign-in path.
    if (scheme === undefined || scheme.hash === 'SHA-1')
      return `the signature algorithm ${oid} is not accepted`;
    if (scheme.kind !== key.kind) return 'the signature algorithm does not fit the key';
    const { params, publicKey: imported } = verifyingKey(
      this.#crypto,
      this.#keys,
      spki,
      key,
      scheme.hash,
    );
    try {
      const publicKey = await imported;
      const sig = key.kind === 'ec' ? ecdsaP1363(signature, key.size) : copy(signature);
      if (sig === undefined) return false;
      return await this.#crypto.subtle.verify(params, publicKey, sig, copy(data));
    } catch {
      return false;
    }
  }
}

function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
