/**
 * Everything a PIV test card remembers between sessions, and the presets it is made with.
 * Immutable: each change makes a new state. The PIN and PUK are kept as salted SHA-256 digests
 * of their padded 8 bytes, never in clear.
 */
import { FACTORY_DEFAULTS, OBJECT_TAG, PIV_ALGORITHM } from '../../card/piv/piv-constants.js';
import { concatBytes, constantTimeEqual, utf8 } from '../../lib/bytes.js';
import { chuidContents } from './chuid.js';
import type { PinPolicy, TouchPolicy } from './key-policy.js';
import type { ManagementAlgorithm } from './management-cipher.js';
import type { PivKeyAlgorithm } from './slot-keys.js';

/** A PIN or PUK: its digest, its tries, and whether it is still the value the card came with. */
export interface ReferenceData {
  readonly digest: Uint8Array<ArrayBuffer>;
  readonly triesLeft: number;
  readonly tries: number;
  readonly isDefault: boolean;
}

/** A key in a slot: its algorithm, PKCS#8 and the policies it was generated with. */
export interface SlotKey {
  readonly algorithm: PivKeyAlgorithm;
  readonly pkcs8: Uint8Array<ArrayBuffer>;
  readonly pinPolicy: PinPolicy;
  readonly touchPolicy: TouchPolicy;
}

/** The management key (9B). */
export interface ManagementKey {
  readonly algorithm: ManagementAlgorithm;
  readonly key: Uint8Array<ArrayBuffer>;
  readonly isDefault: boolean;
}

/** A PIV card's saved state. */
export interface PivCardState {
  /** The serial GET SERIAL answers (and the store name's suffix). */
  readonly serial: number;
  /** The salt of the PIN and PUK digests. */
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly pin: ReferenceData;
  readonly puk: ReferenceData;
  readonly management: ManagementKey;
  /** Keys by slot (9A, 9C, 9D, 9E). */
  readonly keys: ReadonlyMap<number, SlotKey>;
  /** Data objects by tag: the contents of their 53 (the CHUID, the certificates). */
  readonly objects: ReadonlyMap<number, Uint8Array<ArrayBuffer>>;
}

/**
 * How a new card starts. `'factory'`: a factory-fresh YubiKey 5.7 (PIN 123456, PUK 12345678,
 * AES-192 management key 0102…08 ×3, 3 tries each). `'product'`: the same card personalised
 * with the product's rule, PIN 12345678 to be changed on first use; the card shows it as YubiKeys
 * do, GET METADATA of the PIN answers "default value" (05 01) until the PIN is changed, and the
 * client refuses to sign until then.
 *
 * @example
 * ```ts
 * import { EmulatedPivCard, type PivCardPreset } from 'smartcard-2fa/testing';
 *
 * const preset: PivCardPreset = 'product';
 * const card = await EmulatedPivCard.create({ preset });
 * const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * await card.transmit(hex('00A4040009A00000030800001000')); // SELECT PIV
 * const metadata = await card.transmit(hex('00F70080')); // GET METADATA of the PIN
 * console.log(metadata); // 01 01 FF 05 01 01 06 02 03 03 90 00: 05 01, still the default PIN
 * ```
 *
 * @category Testing
 */
export type PivCardPreset = 'factory' | 'product';

/** The product's default PIN (see `DEFAULT_PIN` of `smartcard-2fa/pin`). */
const PRODUCT_PIN = '12345678';

/** A PIN or PUK as the card compares it: its characters padded with FF to 8 bytes. */
export function padReference(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(8).fill(0xff);
  out.set(utf8(text));
  return out;
}

/** The salted digest the card keeps of a padded PIN or PUK. */
export async function referenceDigest(
  crypto: Crypto,
  salt: Uint8Array,
  padded: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concatBytes(salt, padded)));
}

/** Whether `padded` is the reference data `reference` keeps. */
export async function matchesReference(
  crypto: Crypto,
  salt: Uint8Array,
  reference: ReferenceData,
  padded: Uint8Array,
): Promise<boolean> {
  return constantTimeEqual(await referenceDigest(crypto, salt, padded), reference.digest);
}

/** The factory's management key: AES-192, 010203…08 three times. */
const FACTORY_MANAGEMENT_KEY: ManagementKey = {
  algorithm: PIV_ALGORITHM.AES_192,
  key: FACTORY_DEFAULTS.managementKey,
  isDefault: true,
};

/** A new card's state under `preset`; `serial` as given, the preset's management key unless given. */
export async function presetState(
  crypto: Crypto,
  preset: PivCardPreset,
  serial: number,
  management: ManagementKey = FACTORY_MANAGEMENT_KEY,
): Promise<PivCardState> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const reference = async (text: string): Promise<ReferenceData> => ({
    digest: await referenceDigest(crypto, salt, padReference(text)),
    triesLeft: FACTORY_DEFAULTS.tries,
    tries: FACTORY_DEFAULTS.tries,
    isDefault: true,
  });
  const credentialNumber = String(serial % 1_000_000).padStart(6, '0');
  const guid = crypto.getRandomValues(new Uint8Array(16));
  return {
    serial,
    salt,
    pin: await reference(preset === 'product' ? PRODUCT_PIN : FACTORY_DEFAULTS.pin),
    puk: await reference(FACTORY_DEFAULTS.puk),
    management: { ...management, key: management.key.slice() },
    keys: new Map(),
    objects: new Map([[OBJECT_TAG.CHUID, chuidContents(credentialNumber, guid)]]),
  };
}
