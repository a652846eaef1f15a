import type {
  PinChangeResult,
  PinStatus,
  PinUnblockResult,
  PinVerifyResult,
} from '../../pin/index.js';
import type {
  GenerateKeyPairOptions,
  HashName,
  KeyContainerInfo,
} from '../contract/key-containers.js';
import type { CardInfo, CardKind, SmartCard } from '../contract/smart-card.js';
import type { EmulatedChip } from './chip.js';

/**
 * What physical and virtual emulated cards share: every {@link SmartCard} operation, run by the
 * emulated chip inside. Not constructed directly: use `PhysicalSmartCard.create` or
 * `VirtualSmartCard.create`.
 *
 * @example
 * ```ts
 * import { type EmulatedSmartCard, PhysicalSmartCard } from 'smartcard-2fa/card';
 *
 * const card: EmulatedSmartCard = await PhysicalSmartCard.create();
 * console.log((await card.info()).blank); // true
 * ```
 *
 * @category Cards
 */
export abstract class EmulatedSmartCard implements SmartCard {
  abstract readonly kind: CardKind;
  readonly #chip: EmulatedChip;

  /** @internal */
  protected constructor(chip: EmulatedChip) {
    this.#chip = chip;
  }

  /** The card's serial number. */
  get id(): string {
    return this.#chip.state.serial;
  }

  info(): Promise<CardInfo> {
    return this.#chip.info(this.id);
  }

  pinStatus(): Promise<PinStatus> {
    return this.#chip.pins.status();
  }

  verifyPin(pin: string): Promise<PinVerifyResult> {
    return this.#chip.pins.verify(pin);
  }

  changePin(current: string, next: string): Promise<PinChangeResult> {
    return this.#chip.pins.change(current, next);
  }

  unblockPin(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<PinUnblockResult> {
    return this.#chip.pins.unblock(credential, next, options);
  }

  /**
   * Marks the PIN as to be changed before further use: the enrollment station's "force a PIN
   * change on first use". Needs a verified PIN.
   */
  requirePinChange(): Promise<void> {
    return this.#chip.pins.requireChange();
  }

  logout(): Promise<void> {
    return this.#chip.pins.endSession();
  }

  reset(): Promise<void> {
    return this.#chip.pins.endSession();
  }

  generateKeyPair(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo> {
    return this.#chip.containers.generate(options);
  }

  /**
   * Brings an existing PKCS#8 private key onto the card (as PIV's key import, or a PFX import to
   * a Windows card): RSA 2048/3072/4096 with exponent 65537, or P-256 or P-384. Like a generated
   * key, it never leaves the card again. Needs a verified PIN.
   */
  importKeyPair(
    pkcs8: Uint8Array,
    options?: Omit<GenerateKeyPairOptions, 'algorithm'>,
  ): Promise<KeyContainerInfo> {
    return this.#chip.containers.import(pkcs8, options);
  }

  containers(): Promise<KeyContainerInfo[]> {
    return this.#chip.containers.list();
  }

  sign(
    container: string,
    data: Uint8Array<ArrayBuffer>,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#chip.containers.sign(container, data, options);
  }

  decrypt(
    container: string,
    ciphertext: Uint8Array<ArrayBuffer>,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#chip.containers.decrypt(container, ciphertext, options);
  }

  installCertificate(
    container: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void> {
    return this.#chip.containers.installCertificate(container, der, options);
  }

  certificate(container: string): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#chip.containers.certificate(container);
  }

  deleteContainer(container: string): Promise<void> {
    return this.#chip.containers.delete(container);
  }

  /** The card as text, for logs: kind and serial only, never secrets. */
  toString(): string {
    return `${this.kind} smart card ${this.id}`;
  }
}
