import * as input from '../card/contract/input.js';
import type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
} from '../card/contract/pin-results.js';
import type {
  CardInfo,
  CardKind,
  GenerateKeyPairOptions,
  HashName,
  KeyContainerInfo,
  SmartCard,
} from '../card/contract/smart-card.js';
import type { PinPolicy } from '../pin/policy.js';
import { acquireModule, loadBinding, releaseModule } from './binding.js';
import { type CardParts, openCardParts } from './card-parts.js';
import { CardOperations } from './operations.js';
import { checkCardOptions, type Pkcs11CardOptions } from './options.js';

/**
 * A {@link SmartCard} over a PKCS#11 token: a PIV card or YubiKey through OpenSC, a hardware
 * token, the TPM through tpm2-pkcs11, SoftHSM2. Key pairs are generated on the token (private,
 * sensitive, never extractable) and tied to their public key and certificate objects by
 * `CKA_ID` and `CKA_LABEL` (the container name). Operations run one at a time, in call order.
 *
 * What the token cannot do, the SDK adds, and says so: a retry counter for tokens that never
 * lock (see {@link Pkcs11CardOptions.retryCounter}), must-change and the PIN policy, a stable
 * card id (random, kept in the SDK's record: a TPM token's serial is all zeros), and RSA-OAEP
 * with SHA-256 by unpadding a raw RSA result when the token's OAEP lacks the hash.
 *
 * @example
 * ```ts
 * import { Pkcs11SmartCard } from 'smartcard-2fa/pkcs11';
 *
 * const card = await Pkcs11SmartCard.open({
 *   module: '/usr/lib/softhsm/libsofthsm2.so',
 *   label: 'my-token',
 * });
 * const result = await card.verifyPin('12345678');
 * console.log(result.status);
 * await card.close();
 * ```
 *
 * @category Cards
 */
export class Pkcs11SmartCard implements SmartCard {
  /** Physical (a removable token) or virtual. */
  readonly kind: CardKind;
  readonly #module: string;
  readonly #parts: CardParts;
  readonly #operations: CardOperations;

  private constructor(module: string, parts: CardParts) {
    this.#module = module;
    this.#parts = parts;
    this.kind = parts.kind;
    this.#operations = new CardOperations(parts.session, parts.records);
  }

  /**
   * Opens the token in `options.module` with the label (or serial) given: the only initialised
   * token present when neither is given. Loads the module once per process (set what it reads
   * from the environment, as `SOFTHSM2_CONF`, before). Call {@link close} when done.
   *
   * @throws `UnsupportedEnvironmentError` without the pkcs11js binding or the module;
   * `CardRemovedError` when no such token is present; `InvalidInputError` for bad options or
   * when several tokens match.
   */
  static async open(options: Pkcs11CardOptions): Promise<Pkcs11SmartCard> {
    const checked = checkCardOptions(
      input.options<Pkcs11CardOptions>(options, 'Pkcs11SmartCard.open options'),
    );
    const pk = loadBinding();
    const lib = acquireModule(checked.module);
    try {
      return new Pkcs11SmartCard(checked.module, await openCardParts(pk, lib, checked));
    } catch (error) {
      releaseModule(checked.module);
      throw error;
    }
  }

  /** The card's stable id: random, made the first time the SDK opened the token. */
  get id(): string {
    return this.#parts.records.record.id;
  }

  /** The PIN rules the SDK applies. */
  get pinPolicy(): PinPolicy {
    return this.#parts.pins.policy;
  }

  /** Where the SDK's record is kept: on the `token`, in a `store`, or in `memory`. */
  get recordPlace(): 'token' | 'store' | 'memory' {
    return this.#parts.records.placeKind;
  }

  /**
   * Tells the card its token was taken out (a {@link Pkcs11Reader} does): the session ends,
   * and every operation answers `CardRemovedError` until the token is back.
   *
   * @internal
   */
  markRemoved(): void {
    this.#parts.session.markRemoved();
  }

  /**
   * Tells the card its token is back (a {@link Pkcs11Reader} does): a new session, not logged in.
   * The SDK's record is read again by the next operation (every operation that uses it does).
   *
   * @internal
   */
  markInserted(): void {
    this.#parts.session.markInserted();
    this.#parts.logins.forgetLock();
  }

  /** Serial, label, manufacturer, blank or not, and the PIN's state; no PIN attempt spent. */
  info(): Promise<CardInfo> {
    return this.#operations.run('reading the token', async () => {
      const containers = this.#parts.objects.all();
      const token = this.#parts.session.token;
      return {
        id: this.id,
        kind: this.kind,
        serial: token.serial,
        label: token.label,
        manufacturer: token.manufacturer,
        blank: containers.length === 0,
        containers: { used: containers.length, max: null },
        pin: this.#parts.pins.status(),
        pinVerified: this.#parts.session.loggedIn(),
      };
    });
  }

  /**
   * The PIN's state: the SDK's counter when it counts, else what the token's flags say
   * (`attemptsRemaining: null` when the token cannot tell).
   */
  pinStatus(): Promise<CardPinStatus> {
    return this.#operations.run('reading the PIN state', async () => this.#parts.pins.status());
  }

  /** Checks the PIN; when right, the token is logged in until logout, reset or removal. */
  verifyPin(pin: string): Promise<CardPinVerifyResult> {
    return this.#operations.run('verifying the PIN', () => this.#parts.pins.verify(pin));
  }

  /** Replaces the PIN with `C_SetPIN`, after the SDK's policy; a success leaves it logged in. */
  changePin(current: string, next: string): Promise<CardPinChangeResult> {
    return this.#operations.run('changing the PIN', () => this.#parts.pins.change(current, next));
  }

  /**
   * Sets a new PIN as the token's security officer: `C_Login` with the SO PIN (the "PUK"),
   * then `C_InitPIN`. Resets the SDK's counter. Admin keys (bytes) are not a PKCS#11 notion.
   */
  unblockPin(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<CardPinUnblockResult> {
    return this.#operations.run('unblocking the PIN', () =>
      this.#parts.pins.unblock(credential, next, options),
    );
  }

  /**
   * Marks the PIN as to be changed before further use (kept in the SDK's record: PKCS#11 has
   * no call for it). Needs a verified PIN.
   */
  requirePinChange(): Promise<void> {
    return this.#operations.run('marking the PIN', () => this.#parts.pins.requireChange());
  }

  /** Logs out (`C_Logout`): the PIN must be verified again. */
  logout(): Promise<void> {
    return this.#operations.run('logging out', async () => this.#parts.session.logout(), false);
  }

  /**
   * Logs out and closes the session, as a warm reset; nothing stored changes. Forgets a
   * CKR_PIN_LOCKED seen: after a TPM's lockout is reset, reset the card (or open it again).
   */
  reset(): Promise<void> {
    return this.#operations.run(
      'resetting',
      async () => {
        this.#parts.session.logout();
        this.#parts.session.lostToken();
        this.#parts.logins.forgetLock();
      },
      false,
    );
  }

  /** Logs out, closes the session and gives back the module; the card cannot be used after. */
  close(): Promise<void> {
    return this.#operations.close(() => {
      try {
        this.#parts.session.logout();
      } catch {
        // closing is best effort
      }
      this.#parts.session.lostToken();
      releaseModule(this.#module);
    });
  }

  /** The key containers on the token (public keys, readable without a PIN). */
  containers(): Promise<KeyContainerInfo[]> {
    return this.#operations.run('listing the containers', async () => {
      const session = this.#parts.session.open();
      return this.#parts.objects.all().map((c) => this.#parts.objects.info(c, session));
    });
  }

  /**
   * Generates a key pair on the token: RSA (`CKM_RSA_PKCS_KEY_PAIR_GEN`, exponent 65537) or
   * P-256 or P-384 (`CKM_EC_KEY_PAIR_GEN`) when the token offers it. The private key is a token object,
   * private, sensitive and never extractable; an `exchange` key may also decrypt.
   */
  generateKeyPair(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo> {
    return this.#operations.run('generating a key pair', () =>
      this.#parts.keyPairs.generate(options),
    );
  }

  /**
   * Signs on the token: `CKM_SHA*_RSA_PKCS` (or the hash's DigestInfo with `CKM_RSA_PKCS` when
   * the token lacks the combined mechanism), or `CKM_ECDSA` over the hash (r‖s).
   */
  sign(
    container: string,
    data: Uint8Array<ArrayBuffer>,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#operations.run(
      'signing',
      () => this.#parts.mechanisms.sign(container, data, options),
      false,
    );
  }

  /**
   * Decrypts RSA-OAEP on the token: `CKM_RSA_PKCS_OAEP`, or, when the token's OAEP lacks the
   * hash (SoftHSM2 has only SHA-1), the raw RSA operation `CKM_RSA_X_509` on the token and the
   * OAEP unpadding in the SDK.
   */
  decrypt(
    container: string,
    ciphertext: Uint8Array<ArrayBuffer>,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#operations.run(
      'decrypting',
      () => this.#parts.mechanisms.decrypt(container, ciphertext, options),
      false,
    );
  }

  /**
   * Stores a DER X.509 certificate as a certificate object (`CKO_CERTIFICATE`, `CKC_X_509`)
   * with the container's `CKA_ID` and label, replacing the one stored before.
   */
  installCertificate(
    container: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void> {
    return this.#operations.run('storing the certificate', () =>
      this.#parts.certificates.install(container, der, options),
    );
  }

  /** The DER certificate stored with the container, or `null`; no PIN needed. */
  certificate(container: string): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#operations.run('reading the certificate', () =>
      this.#parts.certificates.read(container),
    );
  }

  /** Destroys the container's private key, public key and certificate objects. */
  deleteContainer(container: string): Promise<void> {
    return this.#operations.run('deleting a container', () =>
      this.#parts.keyPairs.delete(container),
    );
  }

  /** The card as text, for logs: kind, label and id only. */
  toString(): string {
    return `${this.kind} PKCS#11 token ${this.#parts.session.token.label} (${this.id})`;
  }
}
