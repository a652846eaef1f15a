import { getCrypto } from '../../crypto.js';
import { InvalidInputError, PinRequiredError } from '../../errors.js';
import { SW } from '../../lib/apdu.js';
import * as input from '../contract/input.js';
import type {
  GenerateKeyPairOptions,
  HashName,
  KeyContainerInfo,
} from '../contract/key-containers.js';
import type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
} from '../contract/pin-results.js';
import { assertCanDecrypt } from '../contract/request-checks.js';
import type { CardInfo, CardKind, SmartCard } from '../contract/smart-card.js';
import { decryptWith, signWith } from './key-operations.js';
import { answered, PivLink } from './link.js';
import { checkPivOptions, type PivCardOptions } from './options.js';
import { PivPins } from './pins.js';
import { YUBIKEY_INS } from './piv-constants.js';
import { PivContainers } from './piv-containers.js';
import { PivSession } from './piv-session.js';
import type { ApduTransport } from './transport.js';

/** Containers a PIV card holds: one per key slot (9A, 9D, 9E, 9C). */
const MAX_CONTAINERS = 4;

/**
 * A {@link SmartCard} over PIV APDUs (NIST SP 800-73-4): a PIV card, a YubiKey, a CAC, behind
 * any {@link ApduTransport} (a PC/SC reader, a test card in the same process). The card itself
 * counts wrong PINs and tells the tries left (`63Cx`), which PKCS#11 cannot; keys are generated
 * on the card and never leave it. Containers map to key slots, in the order 9A, 9D, 9E, 9C,
 * their names and public keys kept in the SDK's own data object on the card (5FA000).
 * Operations run one at a time, in call order.
 *
 * What PIV cannot do: mark a PIN as to be changed; delete a key (deleting a container forgets
 * it and empties its certificate object; the key stays until its slot is used again); more than
 * four containers. A YubiKey's metadata gives the PIN's and PUK's limits and tries, and whether
 * the PIN is the factory's; other cards tell only the PIN's tries left.
 *
 * @example
 * ```ts
 * import { type ApduTransport, PivSmartCard } from 'smartcard-2fa/card';
 *
 * declare const transport: ApduTransport; // a PC/SC card, say
 * const card = await PivSmartCard.open(transport);
 * const result = await card.verifyPin('123456');
 * if (result.status === 'incorrect') console.log(`${result.attemptsRemaining} tries left`);
 * const [container] = await card.containers();
 * if (container) await card.sign(container.name, new TextEncoder().encode('challenge'));
 * ```
 *
 * @category Cards
 */
export class PivSmartCard implements SmartCard {
  /** The card's serial: its CHUID's GUID (hex), else its FASC-N, else a YubiKey's serial. */
  readonly id: string;
  /** Physical unless the options say otherwise. */
  readonly kind: CardKind;
  readonly #label: string;
  readonly #session: PivSession;
  readonly #pins: PivPins;
  readonly #containers: PivContainers;
  readonly #crypto: Crypto;

  private constructor(parts: {
    id: string;
    kind: CardKind;
    label: string;
    session: PivSession;
    pins: PivPins;
    containers: PivContainers;
    crypto: Crypto;
  }) {
    this.id = parts.id;
    this.kind = parts.kind;
    this.#label = parts.label;
    this.#session = parts.session;
    this.#pins = parts.pins;
    this.#containers = parts.containers;
    this.#crypto = parts.crypto;
  }

  /**
   * Selects the PIV application on the card behind `transport` and reads who it is.
   *
   * @throws `DeviceMismatchError` when it is not a PIV card; `CardRemovedError` when no card
   * answers; `InvalidInputError` for bad options.
   */
  static async open(transport: ApduTransport, options?: PivCardOptions): Promise<PivSmartCard> {
    if (typeof (transport as Partial<ApduTransport> | null)?.transmit !== 'function') {
      throw new InvalidInputError('PivSmartCard.open takes a transport with transmit(command).');
    }
    const checked = checkPivOptions(options);
    const crypto = await getCrypto(checked.crypto === undefined ? {} : { crypto: checked.crypto });
    const link = new PivLink(transport, checked.onApdu);
    const session = new PivSession(link, transport);
    const identity = await session.run(() => session.identify());
    return new PivSmartCard({
      id: identity.serial,
      kind: checked.kind,
      label: identity.label,
      session,
      pins: new PivPins(link, checked.policy),
      containers: new PivContainers(
        link,
        crypto,
        checked.managementKey,
        checked.containerMapObject,
      ),
      crypto,
    });
  }

  /** Runs `operation` in turn once the PIN is verified on the card; else `PinRequiredError`. */
  #withPin<T>(operation: () => Promise<T>): Promise<T> {
    return this.#session.run(async () => {
      if (!(await this.#pins.verified())) {
        throw new PinRequiredError('Verify the PIN first: the card session is not authenticated.');
      }
      return operation();
    });
  }

  /** Serial, label, containers and the PIN's state; no PIN try spent. */
  info(): Promise<CardInfo> {
    return this.#session.run(async () => {
      const used = (await this.#containers.list()).length;
      const pins = await this.#pins.read();
      return {
        id: this.id,
        kind: this.kind,
        serial: this.id,
        label: this.#label,
        manufacturer: 'PIV card',
        blank: used === 0,
        containers: { used, max: MAX_CONTAINERS },
        pin: pins.status,
        pinVerified: pins.verified,
      };
    });
  }

  /** The PIN's state from the card: the tries left of its status-only VERIFY (`63Cx`). */
  pinStatus(): Promise<CardPinStatus> {
    return this.#session.run(() => this.#pins.status());
  }

  /** VERIFY; a wrong PIN answers the card's own count of tries left. */
  verifyPin(pin: string): Promise<CardPinVerifyResult> {
    return this.#session.run(() => this.#pins.verify(pin));
  }

  /** CHANGE REFERENCE DATA of the PIN, after the policy. */
  changePin(current: string, next: string): Promise<CardPinChangeResult> {
    return this.#session.run(() => this.#pins.change(current, next));
  }

  /** RESET RETRY COUNTER with the PUK (a string); PIV has no admin key for this. */
  unblockPin(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<CardPinUnblockResult> {
    return this.#session.run(() => this.#pins.unblock(credential, next, options));
  }

  /** VERIFY P1=FF: the PIN must be verified again. */
  logout(): Promise<void> {
    return this.#session.run(() => this.#pins.logout());
  }

  /** Ends the card session (the PIN logged out, the application selected again); nothing stored changes. */
  reset(): Promise<void> {
    return this.#session.run(async () => {
      await this.#pins.logout();
      this.#session.end();
    });
  }

  /**
   * YubiKey's reset of the PIV application (`00 FB 00 00`): every key, certificate and object
   * gone, PIN, PUK and management key back to the factory's. The card allows it only once the
   * PIN and the PUK are both blocked; otherwise `InvalidInputError`, and nothing changes.
   * Cards other than YubiKeys have no such command.
   */
  factoryReset(): Promise<void> {
    return this.#session.run(async () => {
      const command = { cla: 0, ins: YUBIKEY_INS.RESET, p1: 0, p2: 0, data: new Uint8Array(0) };
      const response = await this.#session.link.send(command);
      this.#session.end();
      if (response.sw === SW.OK) return;
      throw new InvalidInputError(
        response.sw === SW.CONDITIONS
          ? 'The card resets only once its PIN and PUK are both blocked.'
          : `${answered(response.sw, 'RESET')} This card may have no reset.`,
      );
    });
  }

  /** The containers, in order of creation; no PIN needed. */
  containers(): Promise<KeyContainerInfo[]> {
    return this.#session.run(() => this.#containers.list());
  }

  /** GENERATE ASYMMETRIC KEY PAIR in the next free slot (PIN and management key needed). */
  async generateKeyPair(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo> {
    input.keyPairOptions(options);
    return this.#withPin(() => this.#containers.generate(options));
  }

  /** GENERAL AUTHENTICATE: RSASSA-PKCS1-v1_5 (block built here) or ECDSA on the hash (r‖s). */
  async sign(
    container: string,
    data: Uint8Array<ArrayBuffer>,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = input.bytes(data, 'data', input.MAX_SIGN_BYTES);
    const hash = input.hashName(input.options<{ hash: HashName }>(options, 'sign options').hash);
    return this.#withPin(async () => {
      const found = await this.#containers.find(container);
      return signWith(this.#session.link, this.#crypto.subtle, found, bytes, hash);
    });
  }

  /** RSA-OAEP: the raw RSA operation on the card, the OAEP decoding on the host. */
  async decrypt(
    container: string,
    ciphertext: Uint8Array<ArrayBuffer>,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = input.bytes(ciphertext, 'ciphertext', 512);
    const checked = input.options<{ hash: 'SHA-1' | 'SHA-256' }>(options, 'decrypt options');
    const hash = input.hashName(checked.hash, ['SHA-1', 'SHA-256']) as 'SHA-1' | 'SHA-256';
    return this.#withPin(async () => {
      const found = await this.#containers.find(container);
      assertCanDecrypt(container, found.keySpec, found.algorithm, bytes);
      return decryptWith(this.#session.link, this.#crypto.subtle, found, bytes, hash);
    });
  }

  /** PUT DATA of the slot's certificate object; its key must be the container's. */
  async installCertificate(
    container: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void> {
    input.friendlyName(input.options<{ friendlyName: string }>(options, 'options').friendlyName);
    const cert = input.bytes(der, 'certificate', input.MAX_CERTIFICATE_BYTES);
    return this.#withPin(() => this.#containers.install(container, cert));
  }

  /** GET DATA of the slot's certificate object (gunzipped when compressed), or `null`. */
  certificate(container: string): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#session.run(() => this.#containers.certificate(container));
  }

  /** Forgets the container and empties its certificate object; PIV cannot delete the key. */
  deleteContainer(container: string): Promise<void> {
    return this.#withPin(() => this.#containers.delete(container));
  }

  /** The card as text, for logs. */
  toString(): string {
    return `${this.kind} PIV card ${this.#label} (${this.id})`;
  }
}
