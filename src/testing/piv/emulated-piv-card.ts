/**
 * `EmulatedPivCard`: a PIV card application (NIST SP 800-73-4, as a YubiKey 5.7 answers it) in
 * TypeScript, the card side of the APDUs the SDK's PIV client sends. Browser-safe.
 */

import { FACTORY_DEFAULTS, YUBIKEY_INS } from '../../card/piv/piv-constants.js';
import { type CardStore, MemoryStore } from '../../card/storage/card-store.js';
import { getCrypto, type WebCrypto } from '../../crypto.js';
import { InvalidInputError, SmartCardError } from '../../errors.js';
import { encodeResponse, SW } from '../../lib/apdu.js';
import { SerialQueue } from '../../lib/serial-queue.js';
import { YUBIKEY_ATR } from './application-data.js';
import { CommandLink } from './command-link.js';
import {
  MANAGEMENT_ALGORITHM_BY_NAME,
  type ManagementAlgorithm,
  managementKeyLength,
} from './management-cipher.js';
import { PivApplication } from './piv-application.js';
import { type ManagementKey, type PivCardPreset, presetState } from './piv-state.js';
import { SavedPivCard } from './saved-piv-card.js';
import { fixturePivKeySource, type PivKeySource } from './slot-keys.js';

export type { PivCardPreset } from './piv-state.js';
export type { PivKeyAlgorithm, PivKeySource } from './slot-keys.js';

/**
 * How {@link EmulatedPivCard.create} makes a card, and how {@link EmulatedPivCard.open} finds
 * one: `store` and `serial` say where its state is (`piv-<serial>` in the store).
 *
 * @example
 * ```ts
 * import { MemoryStore } from 'smartcard-2fa/card';
 * import { EmulatedPivCard, type EmulatedPivCardOptions } from 'smartcard-2fa/testing';
 *
 * const options: EmulatedPivCardOptions = { preset: 'product', store: new MemoryStore(), serial: 4242 };
 * const card = await EmulatedPivCard.create(options);
 * console.log(card.serial); // 4242
 * ```
 *
 * @category Testing
 */
export interface EmulatedPivCardOptions {
  /** How a new card starts: `'factory'` (the default) or `'product'`; see {@link PivCardPreset}. */
  readonly preset?: PivCardPreset;
  /** Where its state lives (default: a new `MemoryStore`); needs `swap`. */
  readonly store?: CardStore;
  /** Its serial, 0 to 4294967295 (default: random, 8 digits). */
  readonly serial?: number;
  /** The WebCrypto to use (default: the runtime's). */
  readonly crypto?: WebCrypto;
  /** Where new key pairs come from (default: the public fixture keys; P-384 generated). */
  readonly keySource?: PivKeySource;
  /**
   * The management key to start with instead of the factory's AES-192 one. YubiKeys before
   * firmware 5.7 had the same bytes as a 3DES key, which older tools assume (yubico-piv-tool
   * 2.2, Debian 12's, authenticates only with 3DES): `{ algorithm: '3DES' }`. `key` may be left
   * out for 3DES and AES-192 (then 010203…08 ×3, reported as the default key), not otherwise.
   */
  readonly managementKey?: {
    readonly algorithm: '3DES' | 'AES-128' | 'AES-192' | 'AES-256';
    readonly key?: Uint8Array;
  };
}

function checkSerial(serial: unknown): asserts serial is number {
  if (
    typeof serial !== 'number' ||
    !Number.isInteger(serial) ||
    serial < 0 ||
    serial > 0xffffffff
  ) {
    throw new InvalidInputError('A PIV card serial is an integer from 0 to 4294967295.');
  }
}

/** The management key option, checked: `undefined` for the preset's. */
function managementKey(option: EmulatedPivCardOptions['managementKey']): ManagementKey | undefined {
  if (option === undefined) return undefined;
  const names: Readonly<Record<string, ManagementAlgorithm>> = MANAGEMENT_ALGORITHM_BY_NAME;
  const algorithm = typeof option === 'object' ? names[option?.algorithm] : undefined;
  if (algorithm === undefined) {
    throw new InvalidInputError(
      "managementKey.algorithm is '3DES', 'AES-128', 'AES-192' or 'AES-256'.",
    );
  }
  const length = managementKeyLength(algorithm);
  const key = option.key ?? (length === 24 ? FACTORY_DEFAULTS.managementKey : undefined);
  if (!(key instanceof Uint8Array) || key.length !== length) {
    throw new InvalidInputError(`A ${option.algorithm} management key is ${length} bytes.`);
  }
  return { algorithm, key: key.slice(), isDefault: option.key === undefined };
}

/**
 * A PIV card for tests, spoken to in APDUs: `transmit` takes one command APDU and answers one
 * response APDU (the `{ transmit(apdu) }` shape of a PIV client's transport). It has the PIN and
 * PUK with their retry counters, the management key (3DES or AES, mutual authentication as
 * YubiKeys do it), key pairs in 9A/9C/9D/9E (RSA-2048, P-256, P-384), the certificate objects,
 * CHUID and discovery; it chains long commands and answers long ones with 61xx and GET
 * RESPONSE. Its state is saved in a `CardStore` before each answer. Tests only.
 *
 * @example
 * ```ts
 * import { EmulatedPivCard } from 'smartcard-2fa/testing';
 *
 * const card = await EmulatedPivCard.create({ preset: 'factory' });
 * const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
 * await card.transmit(hex('00A4040009A00000030800001000')); // SELECT PIV: ... 90 00
 * const answer = await card.transmit(hex('0020008008313233343536FFFF')); // VERIFY 123456
 * console.log(answer); // Uint8Array [0x90, 0x00]
 * card.powerCycle(); // the PIN no longer counts; SELECT again
 * ```
 *
 * @category Testing
 */
export class EmulatedPivCard {
  /** The card's serial (GET SERIAL answers it; its store name is `piv-<serial>`). */
  readonly serial: number;
  readonly #application: PivApplication;
  readonly #link: CommandLink;
  readonly #queue = new SerialQueue();

  private constructor(saved: SavedPivCard, crypto: Crypto, keySource: PivKeySource) {
    this.serial = saved.state.serial;
    this.#application = new PivApplication(saved, crypto, keySource);
    this.#link = new CommandLink(
      (command) => this.#application.run(command),
      [YUBIKEY_INS.GET_VERSION, YUBIKEY_INS.GET_SERIAL, YUBIKEY_INS.GET_METADATA],
    );
  }

  /** Makes a new card and saves it; refuses a serial its store holds already. */
  static async create(options: EmulatedPivCardOptions = {}): Promise<EmulatedPivCard> {
    const crypto = await getCrypto(options.crypto === undefined ? {} : { crypto: options.crypto });
    const preset = options.preset ?? 'factory';
    if (preset !== 'factory' && preset !== 'product') {
      throw new InvalidInputError("A PIV card preset is 'factory' or 'product'.");
    }
    const serial =
      options.serial ??
      10_000_000 + ((crypto.getRandomValues(new Uint32Array(1))[0] as number) % 90_000_000);
    checkSerial(serial);
    const state = await presetState(crypto, preset, serial, managementKey(options.managementKey));
    const saved = await SavedPivCard.create(options.store ?? new MemoryStore(), state);
    return new EmulatedPivCard(saved, crypto, options.keySource ?? fixturePivKeySource);
  }

  /** Opens the card saved in `store` with `serial` (as a card is put back into a reader). */
  static async open(
    options: EmulatedPivCardOptions & { readonly store: CardStore; readonly serial: number },
  ): Promise<EmulatedPivCard> {
    checkSerial(options.serial);
    const crypto = await getCrypto(options.crypto === undefined ? {} : { crypto: options.crypto });
    const saved = await SavedPivCard.open(options.store, options.serial);
    if (saved === undefined) {
      throw new InvalidInputError(`No PIV card is saved with serial ${options.serial}.`);
    }
    return new EmulatedPivCard(saved, crypto, options.keySource ?? fixturePivKeySource);
  }

  /** The answer to reset: a YubiKey 5's (T=1). A new copy each time. */
  get atr(): Uint8Array<ArrayBuffer> {
    return YUBIKEY_ATR.slice();
  }

  /**
   * Sends one command APDU and resolves its response APDU. Commands run one at a time in call
   * order. A store that fails makes the card answer 6F00, having changed nothing it could not
   * save.
   */
  transmit(command: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    if (!(command instanceof Uint8Array)) {
      return Promise.reject(
        new InvalidInputError('transmit() takes a command APDU as a Uint8Array.'),
      );
    }
    const bytes = command.slice();
    return this.#queue.run(async () => {
      try {
        return await this.#link.transmit(bytes);
      } catch (error) {
        if (!SmartCardError.is(error)) throw error;
        this.#link.reset();
        return encodeResponse(new Uint8Array(0), SW.UNKNOWN);
      }
    });
  }

  /**
   * Takes the power away and gives it back (a reset): the PIN's verification and the management
   * key's authentication are lost, the PIV application is no longer selected, and a chain or an
   * answer under way is forgotten. What was saved stays.
   */
  powerCycle(): void {
    this.#link.reset();
    this.#application.powerOff();
  }
}
