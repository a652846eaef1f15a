import { type CryptoOptions, getCrypto } from '../../crypto.js';
import { PinPolicy, type PinPolicyRules, type UnblockCredential } from '../../pin/index.js';
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
import { assertStoreName, type CardStore } from '../storage/card-store.js';
import { cardSocket, Socket } from './socket.js';

/**
 * How an emulated physical card is made. Every field has a default: a Lync / Skype for Business
 * sign-in card (PIN 12345678, changed on first use), 15 key containers, a random serial, kept in
 * memory.
 *
 * @example
 * ```ts
 * import {
 *   MemoryStore,
 *   PhysicalSmartCard,
 *   type PhysicalSmartCardOptions,
 * } from 'smartcard-2fa/card';
 *
 * const store = new MemoryStore();
 * const options: PhysicalSmartCardOptions = {
 *   serial: 'ALICE-1',
 *   label: 'Alice',
 *   puk: '27182818',
 *   store,
 * };
 * const card = await PhysicalSmartCard.create(options);
 * await store.names(); // ['card-ALICE-1']: saved, for PhysicalSmartCard.open in a later run
 * ```
 *
 * @category Cards
 */
export interface PhysicalSmartCardOptions extends CryptoOptions {
  /** 1 to 64 characters of A-Z, a-z, 0-9 and "-"; 16 random hex digits when left out. */
  serial?: string;
  /** The card's label; "Smart Card" when left out. */
  label?: string;
  /** The manufacturer it reports; "smartcard-2fa emulator" when left out. */
  manufacturer?: string;
  /** The PIN rules; the `skypeForBusiness` preset when left out. */
  pinPolicy?: PinPolicy | Partial<PinPolicyRules>;
  /** The initial PIN; the policy's default PIN (12345678) when left out. */
  pin?: string;
  /** Whether the PIN must be changed on first use; the policy's `changeOnFirstUse` if left out. */
  mustChange?: boolean;
  /** A PUK that unblocks the PIN. */
  puk?: string;
  /** An admin key (16, 24 or 32 bytes) that unblocks the PIN. */
  adminKey?: Uint8Array<ArrayBuffer>;
  /** How many key containers the card holds; 15 when left out. */
  maxContainers?: number;
  /** Where the card keeps its memory between runs; only in this process when left out. */
  store?: CardStore;
  /** PBKDF2 iterations for the PIN hash; 100,000 when left out. */
  pinHashIterations?: number;
  /** @internal Where new key pairs come from (test kits hand out fixture keys). */
  keySource?: KeySource;
  /** @internal Hooks inside card operations, for test kits. */
  hooks?: ChipHooks;
}

/**
 * Options of {@link PhysicalSmartCard.open}.
 *
 * @example
 * ```ts
 * import { MemoryStore, type OpenCardOptions, PhysicalSmartCard } from 'smartcard-2fa/card';
 *
 * const store = new MemoryStore();
 * await PhysicalSmartCard.create({ serial: 'ALICE-1', store });
 * const options: OpenCardOptions = { crypto: globalThis.crypto };
 * const card = await PhysicalSmartCard.open(store, 'ALICE-1', options);
 * card.id; // 'ALICE-1'
 * ```
 *
 * @category Cards
 */
export interface OpenCardOptions extends CryptoOptions {
  /** @internal Where new key pairs come from. */
  keySource?: KeySource;
  /** @internal Hooks inside card operations. */
  hooks?: ChipHooks;
}

/**
 * An emulated physical smart card: its own PIN state, key containers and certificates, usable
 * only while it is in a {@link SimulatedReader}. Removing it ends its card session and fails any
 * operation under way with `ERR_CARD_REMOVED`, leaving the card as it was before that operation.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create({ label: 'Alice' });
 * const reader = new SimulatedReader('Reader 0');
 * reader.insert(card);
 * await card.verifyPin('12345678'); // { status: 'verified', mustChange: true }
 * await card.changePin('12345678', 'k7#Lm2pQ');
 * const key = await card.generateKeyPair(); // RSA-2048, exchange
 * const signature = await card.sign(key.name, new TextEncoder().encode('challenge'));
 * reader.remove();
 * ```
 *
 * @category Cards
 */
export class PhysicalSmartCard extends EmulatedSmartCard {
  readonly kind = 'physical' as const;

  private constructor(chip: EmulatedChip, socket: Socket) {
    super(chip);
    cardSocket.set(this, socket);
  }

  /** A new blank card (no key containers), not in any reader. */
  static async create(options: PhysicalSmartCardOptions = {}): Promise<PhysicalSmartCard> {
    const crypto = await getCrypto(options);
    const serial = options.serial ?? randomSerial(crypto);
    assertSerial(serial);
    await assertNewCard(options.store, storeName(serial));
    const socket = new Socket();
    const deps = chipDeps(crypto, options, socket, options.store, serial);
    const unblock: UnblockCredential[] = [];
    if (options.puk !== undefined) unblock.push({ kind: 'puk', value: options.puk });
    if (options.adminKey !== undefined) {
      unblock.push({ kind: 'admin-key', value: options.adminKey });
    }
    const chip = await EmulatedChip.create(
      deps,
      {
        kind: 'physical',
        serial,
        label: shortText(options.label, 'label', 'Smart Card'),
        manufacturer: shortText(options.manufacturer, 'manufacturer', 'smartcard-2fa emulator'),
        maxContainers: maxContainers(options.maxContainers),
      },
      pinStateOptions(options.pinPolicy ?? PinPolicy.preset('skypeForBusiness'), unblock, options),
    );
    const card = new PhysicalSmartCard(chip, socket);
    registerLiveCard(options.store, storeName(serial), card);
    return card;
  }

  /**
   * A card saved in `store` by an earlier run, not in any reader. A card already open in this
   * process is returned as it is (one object per card, so one PIN counter).
   *
   * @throws `StateCorruptError` for damaged saved state; `InvalidInputError` if none is saved.
   */
  static async open(
    store: CardStore,
    serial: string,
    options: OpenCardOptions = {},
  ): Promise<PhysicalSmartCard> {
    const socket = new Socket();
    return openSavedCard({
      store,
      serial,
      kind: 'physical',
      name: storeName(serial),
      live: (open) => (open instanceof PhysicalSmartCard ? open : undefined),
      deps: async () => chipDeps(await getCrypto(options), options, socket, store, serial),
      make: (chip) => new PhysicalSmartCard(chip, socket),
    });
  }
}

/** The store name a physical card with this serial is saved under. */
function storeName(serial: string): string {
  return `card-${serial}`;
}

function chipDeps(
  crypto: Crypto,
  options: OpenCardOptions,
  socket: Socket,
  store: CardStore | undefined,
  serial: string,
): ChipDeps {
  const name = storeName(serial);
  assertStoreName(name);
  return {
    crypto,
    presence: socket,
    storage: storeStorage(store, name, {
      decode: async (bytes) => decodeChipState(bytes, 'physical'),
      encode: async (state) => encodeChipState(state),
    }),
    hooks: options.hooks,
    keySource: options.keySource,
  };
}
