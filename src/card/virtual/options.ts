/**
 * How a virtual smart card is made: its options, and the well-known default admin key.
 *
 * @module
 */
import type { CryptoOptions } from '../../crypto.js';
import type { PinPolicy, PinPolicyRules } from '../../pin/index.js';
import type { KeySource } from '../chip/key-material.js';
import type { ChipHooks } from '../chip/transaction.js';
import type { CardStore } from '../storage/card-store.js';
import type { SoftwareTpm } from '../tpm/software-tpm.js';

/**
 * The admin key `tpmvscmgr create /adminkey default` sets: 01 02 03 04 05 06 07 08, three times
 * (a 24-byte 3DES key). Returns a new copy each time.
 *
 * @example
 * ```ts
 * import { defaultAdminKey, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
 *
 * defaultAdminKey().length; // 24
 * const card = await VirtualSmartCard.create({
 *   tpm: await SoftwareTpm.create(),
 *   adminKey: 'default',
 * });
 * for (let i = 0; i < 5; i++) await card.verifyPin('00000000'); // blocked after 5 wrong PINs
 * await card.unblockPin(defaultAdminKey(), 'k7#Lm2pQ'); // { status: 'unblocked' }
 * ```
 *
 * @category Cards
 */
export function defaultAdminKey(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: 24 }, (_, i) => (i % 8) + 1);
}

/**
 * How a virtual smart card is made, as `tpmvscmgr create` does it: the TPM it is bound to, its
 * PIN (`'default'`: 12345678, which must be changed on first use), an optional PUK, and the admin
 * key: random unless you ask otherwise (handed out once by
 * {@link VirtualSmartCard.takeAdminKey}), `'random'` (known to nobody), `'default'` (the public
 * well-known key, by name only) or your own 16, 24 or 32 bytes.
 *
 * @example
 * ```ts
 * import {
 *   SoftwareTpm,
 *   VirtualSmartCard,
 *   type VirtualSmartCardOptions,
 * } from 'smartcard-2fa/card';
 *
 * const options: VirtualSmartCardOptions = {
 *   tpm: await SoftwareTpm.create(),
 *   pin: 'default',
 *   adminKey: 'random',
 *   puk: '27182818',
 * };
 * const card = await VirtualSmartCard.create(options);
 * card.deviceId === options.tpm.deviceId; // true: bound to this device's TPM
 * ```
 *
 * @category Cards
 */
export interface VirtualSmartCardOptions extends CryptoOptions {
  /** The device's TPM; the card is bound to it and cannot be used on another device. */
  tpm: SoftwareTpm;
  /** `'default'` (12345678, the policy's default) or the initial PIN. */
  pin?: 'default' | string;
  /** A PUK that unblocks the PIN. */
  puk?: string;
  /**
   * The admin key that unblocks the PIN. Left out: 24 random bytes, handed out once by
   * {@link VirtualSmartCard.takeAdminKey}. `'random'`: random and never handed out.
   * `'default'`: the well-known key of {@link defaultAdminKey}, which anyone holding the device
   * can use to set a PIN: ask for it by name only where that is acceptable (a test bench).
   */
  adminKey?: 'default' | 'random' | Uint8Array<ArrayBuffer>;
  /** The PIN rules; the `windowsVirtualSmartCard` preset (blocked after 5 wrong PINs) if left out. */
  pinPolicy?: PinPolicy | Partial<PinPolicyRules>;
  /**
   * Whether the PIN must be changed on first use. Left out: always for the default PIN (in every
   * preset), else the policy's `changeOnFirstUse`. Pass `false` by name to keep the default PIN
   * without a forced change.
   */
  mustChange?: boolean;
  /** The card's name (`tpmvscmgr /name`); "Virtual Smart Card" when left out. */
  name?: string;
  /** 1 to 64 characters of A-Z, a-z, 0-9 and "-"; 16 random hex digits when left out. */
  serial?: string;
  /** Where the sealed card state is kept between runs; only in this process when left out. */
  store?: CardStore;
  /** How many key containers the card holds; 15 when left out. */
  maxContainers?: number;
  /** PBKDF2 iterations for the PIN hash; 100,000 when left out. */
  pinHashIterations?: number;
  /** @internal Where new key pairs come from (test kits hand out fixture keys). */
  keySource?: KeySource;
  /** @internal Hooks inside card operations, for test kits. */
  hooks?: ChipHooks;
}
