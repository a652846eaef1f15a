/**
 * The fixture keys as key material a test card accepts (its internal `keySource`), as PKCS#8
 * bytes for tests, and as a WebCrypto wrapper that gives a test CA fixture RSA keys.
 */
import {
  generateKeyMaterial,
  importKeyMaterial,
  type KeyMaterial,
  type KeySource,
} from '../card/chip/key-material.js';
import type { KeyAlgorithmName } from '../card/contract/smart-card.js';
import { InvalidInputError } from '../errors.js';
import { fromBase64 } from '../lib/bytes.js';
import { CA_KEYS, CARD_KEYS } from './fixture-keys.js';

function decode(text: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase64(text);
  if (bytes === undefined) throw new Error('a fixture key is not base64');
  return bytes;
}

function cardKeys(algorithm: KeyAlgorithmName): readonly string[] {
  return algorithm in CARD_KEYS ? CARD_KEYS[algorithm as keyof typeof CARD_KEYS] : [];
}

/**
 * The TEST-ONLY fixture private keys of one algorithm, as PKCS#8 DER: RSA-2048 (8 keys),
 * RSA-3072 (1) and ECDSA-P256 (4); other algorithms have none. They are published with the
 * package, so they are public: use them only in tests (with `EmulatedSmartCard.importKeyPair`, or
 * to sign test requests), never for anything real. Each call returns new copies.
 *
 * @example
 * ```ts
 * import { fixturePkcs8 } from 'smartcard-2fa/testing';
 *
 * import { PhysicalSmartCard } from 'smartcard-2fa/card';
 *
 * const [pkcs8] = fixturePkcs8('ECDSA-P256');
 * const card = await PhysicalSmartCard.create({ pin: '24682468' });
 * await card.verifyPin('24682468');
 * if (pkcs8 !== undefined) await card.importKeyPair(pkcs8, { container: 'test key' });
 * ```
 *
 * @category Testing
 */
export function fixturePkcs8(algorithm: KeyAlgorithmName): Uint8Array<ArrayBuffer>[] {
  if (typeof algorithm !== 'string') {
    throw new InvalidInputError('fixturePkcs8 takes a key algorithm name, such as RSA-2048.');
  }
  return cardKeys(algorithm).map(decode);
}

/** Each fixture key's material, made once per process (its SPKI derived from the PKCS#8). */
const materials = new Map<string, Promise<KeyMaterial>>();

function material(crypto: Crypto, pkcs8: string): Promise<KeyMaterial> {
  let made = materials.get(pkcs8);
  if (made === undefined) {
    made = importKeyMaterial(crypto, decode(pkcs8));
    materials.set(pkcs8, made);
  }
  return made;
}

const turns: Partial<Record<KeyAlgorithmName, number>> = {};

/**
 * Hands out the fixture keys of the asked algorithm in turn, as if the card had just generated
 * them, so consecutive key pairs differ; an algorithm without fixture keys (RSA-4096) is really
 * generated. Keys repeat after a full turn: two containers may then hold the same key, which
 * cards allow.
 *
 * @internal
 */
export const fixtureKeySource: KeySource = async (algorithm, crypto) => {
  const keys = cardKeys(algorithm);
  if (keys.length === 0) return generateKeyMaterial(algorithm, crypto);
  const turn = turns[algorithm] ?? 0;
  turns[algorithm] = (turn + 1) % keys.length;
  const made = await material(crypto, keys[turn % keys.length] ?? '');
  return { algorithm: made.algorithm, pkcs8: made.pkcs8.slice(), spki: made.spki.slice() };
};

const SUBTLE_METHODS = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'digest',
  'generateKey',
  'deriveKey',
  'deriveBits',
  'importKey',
  'exportKey',
  'wrapKey',
  'unwrapKey',
] as const;

/**
 * `base` with one change: RSA-2048 key pairs it is asked to generate are the test CA's fixture
 * keys, in turn (the root's, then the issuing CA's), imported with the usages and extractability
 * asked for. Everything else goes to `base`.
 *
 * @internal
 */
export function fixtureCaCrypto(base: Crypto): Crypto {
  const subtle: Record<string, unknown> = {};
  for (const name of SUBTLE_METHODS) {
    const method = base.subtle[name] as (...args: unknown[]) => unknown;
    subtle[name] = method.bind(base.subtle);
  }
  let turn = 0;
  subtle.generateKey = async (
    algorithm: AlgorithmIdentifier | RsaHashedKeyGenParams,
    extractable: boolean,
    usages: KeyUsage[],
  ) => {
    const params = algorithm as Partial<RsaHashedKeyGenParams>;
    if (params.name !== 'RSASSA-PKCS1-v1_5' || params.modulusLength !== 2048) {
      return base.subtle.generateKey(algorithm as RsaHashedKeyGenParams, extractable, usages);
    }
    const pkcs8 = decode(CA_KEYS['RSA-2048'][turn % CA_KEYS['RSA-2048'].length] ?? '');
    turn += 1;
    const { spki } = await importKeyMaterial(base, pkcs8);
    const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: params.hash ?? 'SHA-256' };
    const privateUsages = usages.filter((u) => u === 'sign');
    const publicUsages = usages.filter((u) => u === 'verify');
    const [privateKey, publicKey] = await Promise.all([
      base.subtle.importKey('pkcs8', pkcs8, rsa, extractable, privateUsages),
      base.subtle.importKey('spki', spki, rsa, true, publicUsages),
    ]);
    return { privateKey, publicKey };
  };
  return {
    subtle: subtle as unknown as SubtleCrypto,
    getRandomValues: base.getRandomValues.bind(base),
    randomUUID: base.randomUUID.bind(base),
  } as Crypto;
}
