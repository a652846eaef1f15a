import { getCrypto } from '../../crypto.js';
import { DeviceMismatchError, TpmUnavailableError } from '../../errors.js';
import { PinPolicy, type UnblockCredential } from '../../pin/index.js';
import { type ChipDeps, EmulatedChip } from '../chip/chip.js';
import { EmulatedSmartCard } from '../chip/emulated-card.js';
import type { KeySource } from '../chip/key-material.js';
import {
  assertNewCard,
  assertSerial,
  maxContainers,
  openSavedCard,
  pinStateOptions,
  randomSerial,
  registerLiveCard,
  shortText,
  storeStorage,
} from '../chip/open-cards.js';
import { decodeChipState, encodeChipState } from '../chip/state-codec.js';
import type { ChipHooks } from '../chip/transaction.js';
import type { OpenCardOptions } from '../physical/physical-card.js';
import type { CardStore } from '../storage/card-store.js';
import { SoftwareTpm, tpmCardSealing } from '../tpm/software-tpm.js';
import { defaultAdminKey, type VirtualSmartCardOptions } from './options.js';

/**
 * A virtual smart card bound to one device's TPM, as Windows' TPM virtual smart cards: always
 * "inserted", its whole state (keys, certificates, PIN state) sealed by the TPM, its PIN checks
 * under the TPM's anti-hammering, blocked after 5 consecutive wrong PINs and unblocked with the
 * admin key or the PUK. Its saved state opened with another device's TPM fails with
 * `ERR_DEVICE_MISMATCH`: each device needs its own enrolled card. The TPM also keeps a counter
 * of the card's state, so a rolled-back copy of it (with PIN attempts it has spent) is refused;
 * give the TPM a store of its own for that to survive a restart.
 *
 * @example
 * ```ts
 * import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
 *
 * const tpm = await SoftwareTpm.create();
 * const card = await VirtualSmartCard.create({ tpm, pin: 'default' });
 * const adminKey = card.takeAdminKey(); // 24 random bytes: keep them for the help desk
 * await card.verifyPin('12345678'); // { status: 'verified', mustChange: true }
 * await card.changePin('12345678', 'k7#Lm2pQ');
 * const key = await card.generateKeyPair();
 * ```
 *
 * @category Cards
 */
export class VirtualSmartCard extends EmulatedSmartCard {
  readonly kind = 'virtual' as const;
  /** The device id of the TPM the card is bound to. */
  readonly deviceId: string;
  #adminKey: Uint8Array<ArrayBuffer> | undefined;

  private constructor(chip: EmulatedChip, tpm: SoftwareTpm, adminKey?: Uint8Array<ArrayBuffer>) {
    super(chip);
    this.deviceId = tpm.deviceId;
    this.#adminKey = adminKey;
  }

  /**
   * The admin key that {@link VirtualSmartCard.create} generated (when `adminKey` was left out),
   * once: the first call returns it and this object forgets it; later calls, cards made with
   * another admin key and cards opened from a store return `undefined`. Only its hash is saved.
   *
   * @example
   * ```ts
   * import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
   *
   * const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create() });
   * const adminKey = card.takeAdminKey(); // Uint8Array(24)
   * card.takeAdminKey(); // undefined
   * ```
   */
  takeAdminKey(): Uint8Array<ArrayBuffer> | undefined {
    const key = this.#adminKey;
    this.#adminKey = undefined;
    return key;
  }

  /**
   * A new blank virtual card on `options.tpm`. With `adminKey` left out its admin key is random,
   * and {@link VirtualSmartCard.takeAdminKey} hands it out once: keep it where your help desk
   * keeps unblock keys, or the card can only be unblocked with its PUK (if any).
   *
   * @throws `TpmUnavailableError` without a TPM, or with one that is disabled.
   */
  static async create(options: VirtualSmartCardOptions): Promise<VirtualSmartCard> {
    const tpm = requireTpm(options?.tpm);
    const crypto = await getCrypto(options);
    const serial = options.serial ?? randomSerial(crypto);
    assertSerial(serial);
    await assertNewCard(options.store, storeName(serial));
    const policy = PinPolicy.from(options.pinPolicy ?? PinPolicy.preset('windowsVirtualSmartCard'));
    const pin = options.pin === undefined || options.pin === 'default' ? undefined : options.pin;
    const unblock: UnblockCredential[] = [];
    if (options.puk !== undefined) unblock.push({ kind: 'puk', value: options.puk });
    const generated =
      options.adminKey === undefined ? crypto.getRandomValues(new Uint8Array(24)) : undefined;
    const adminKey = options.adminKey ?? generated;
    unblock.push({
      kind: 'admin-key',
      value:
        adminKey === 'default'
          ? defaultAdminKey()
          : adminKey === 'random'
            ? crypto.getRandomValues(new Uint8Array(24))
            : (adminKey as Uint8Array<ArrayBuffer>),
    });
    const deps = chipDeps(crypto, tpm, options, options.store, serial);
    const chip = await EmulatedChip.create(
      deps,
      {
        kind: 'virtual',
        serial,
        label: shortText(options.name, 'name', 'Virtual Smart Card'),
        manufacturer: 'smartcard-2fa TPM virtual smart card',
        maxContainers: maxContainers(options.maxContainers),
      },
      pinStateOptions(policy, unblock, { ...options, pin }),
    );
    const card = new VirtualSmartCard(chip, tpm, generated?.slice());
    generated?.fill(0);
    registerLiveCard(options.store, storeName(serial), card);
    return card;
  }

  /**
   * A virtual card saved in `store` by an earlier run, unsealed with `tpm`. A card already open
   * in this process is returned as it is (one object per card, so one PIN counter).
   *
   * @throws `DeviceMismatchError` when the card belongs to another device's TPM;
   * `StateCorruptError` for damaged state; `InvalidInputError` if none is saved.
   */
  static async open(
    tpm: SoftwareTpm,
    store: CardStore,
    serial: string,
    options: OpenCardOptions = {},
  ): Promise<VirtualSmartCard> {
    requireTpm(tpm);
    return openSavedCard({
      store,
      serial,
      kind: 'virtual',
      name: storeName(serial),
      live: (open) => {
        if (!(open instanceof VirtualSmartCard)) return undefined;
        if (open.deviceId !== tpm.deviceId) throw mismatch();
        return open;
      },
      deps: async () => chipDeps(await getCrypto(options), tpm, options, store, serial),
      make: (chip) => new VirtualSmartCard(chip, tpm),
    });
  }
}

function mismatch(): DeviceMismatchError {
  return new DeviceMismatchError(
    "This virtual card is bound to another device's TPM. Enroll a separate card on each device.",
  );
}

const alwaysPresent = { present: () => true, generation: () => 0 };

function chipDeps(
  crypto: Crypto,
  tpm: SoftwareTpm,
  options: { keySource?: KeySource; hooks?: ChipHooks },
  store: CardStore | undefined,
  serial: string,
): ChipDeps {
  const context = sealContext(serial);
  const sealing = tpmCardSealing.get(tpm);
  /** The version of the sealed state the chip last read or wrote; `undefined` before either. */
  let loaded: number | undefined;
  let sealed: { blob: Uint8Array; version: number } | undefined;
  return {
    crypto,
    presence: alwaysPresent,
    // Seal as the version after the one read (refused if the TPM saw a newer one), swap it in
    // over the blob read, then let the TPM refuse every older copy.
    storage: storeStorage(store, storeName(serial), {
      decode: async (blob) => {
        const { data, version } = await sealing.unseal(context, blob);
        const state = decodeChipState(data, 'virtual');
        loaded = version;
        return state;
      },
      encode: async (state) => {
        sealed = await sealing.seal(context, encodeChipState(state), loaded);
        return sealed?.blob;
      },
      written: async (blob) => {
        if (sealed === undefined || sealed.blob !== blob) throw new Error('sealed out of turn');
        loaded = sealed.version;
        await sealing.advance(context, sealed.version);
      },
    }),
    guard: (attempt) => tpm.authorize(attempt),
    hooks: options.hooks,
    keySource: options.keySource,
  };
}

function requireTpm(tpm: unknown): SoftwareTpm {
  if (!(tpm instanceof SoftwareTpm)) {
    throw new TpmUnavailableError(
      'A virtual smart card needs a TPM: pass `tpm` (a SoftwareTpm). Without one, use a physical card.',
    );
  }
  if (!tpm.enabled) throw new TpmUnavailableError('The TPM is disabled; enable it first.');
  return tpm;
}

function storeName(serial: string): string {
  return `vsc-${serial}`;
}

function sealContext(serial: string): string {
  return `smartcard-2fa virtual card ${serial}`;
}
