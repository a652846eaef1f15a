import type {
  GenerateKeyPairOptions,
  HashName,
  KeyAlgorithmName,
  KeyContainerInfo,
  KeySpec,
} from './key-containers.js';
import type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
} from './pin-results.js';

/** The key types, also importable from here (their home is keys.ts). */
export type { GenerateKeyPairOptions, HashName, KeyAlgorithmName, KeyContainerInfo, KeySpec };

/**
 * A card in a reader (`physical`) or bound to one device's TPM (`virtual`).
 *
 * @example
 * ```ts
 * import { type CardKind, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
 *
 * const prompt = (kind: CardKind) =>
 *   kind === 'physical' ? 'Insert your card' : 'Enter your PIN';
 * const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create() });
 * prompt(card.kind); // 'Enter your PIN': a virtual card is always there
 * ```
 *
 * @category Cards
 */
export type CardKind = 'physical' | 'virtual';

/**
 * What a card says about itself, without spending a PIN attempt.
 *
 * @example
 * ```ts
 * import { type CardInfo, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(card);
 * const info: CardInfo = await card.info(); // spends no PIN attempt
 * info.blank; // true: no key container yet, the card needs enrolling
 * info.containers; // { used: 0, max: 15 }
 * ```
 *
 * @category Cards
 */
export interface CardInfo {
  /** The card's stable identifier (its serial number). */
  readonly id: string;
  /** Physical or virtual. */
  readonly kind: CardKind;
  /** The serial number. */
  readonly serial: string;
  /** The card's label, as a token label in PKCS#11. */
  readonly label: string;
  /** Who made the card (or the emulator). */
  readonly manufacturer: string;
  /** True while the card holds no key container: it needs enrolling. */
  readonly blank: boolean;
  /** How many key containers the card holds, and can hold (`null`: the token does not say). */
  readonly containers: { readonly used: number; readonly max: number | null };
  /** The PIN's state. */
  readonly pin: CardPinStatus;
  /** Whether a PIN has been verified in the current card session. */
  readonly pinVerified: boolean;
}

/**
 * A smart card, physical or virtual, emulated or real (PKCS#11). Every operation is async and
 * runs as one card transaction: operations on a card run one at a time, in call order.
 *
 * A PIN marked must-change is reported (`verifyPin` answers `{ status: 'verified', mustChange:
 * true }`), not enforced by the card: the sign-in flow makes the holder change it first.
 *
 * Reading (`info`, `pinStatus`, `containers`, `certificate`) needs no PIN. Using or writing keys
 * (`generateKeyPair`, `sign`, `decrypt`, `installCertificate`, `deleteContainer`) needs a PIN
 * verified in the current card session, which removal, `logout()` and `reset()` end. A wrong PIN
 * or a blocked card is an outcome (a result value); bad input and broken invariants throw a
 * `SmartCardError`, and leave the card as it was.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, SimulatedReader, type SmartCard } from 'smartcard-2fa/card';
 *
 * async function signChallenge(card: SmartCard, pin: string, challenge: Uint8Array<ArrayBuffer>) {
 *   const result = await card.verifyPin(pin);
 *   if (result.status !== 'verified') return result;
 *   const [container] = await card.containers();
 *   if (container === undefined) throw new Error('The card is blank: enroll it first.');
 *   return { status: 'signed', signature: await card.sign(container.name, challenge) } as const;
 * }
 *
 * const card = await PhysicalSmartCard.create({ pin: 'k7#Lm2pQ', mustChange: false });
 * new SimulatedReader().insert(card);
 * await card.verifyPin('k7#Lm2pQ');
 * await card.generateKeyPair();
 * const challenge = new TextEncoder().encode('challenge');
 * await signChallenge(card, 'k7#Lm2pQ', challenge); // { status: 'signed', signature }
 * ```
 *
 * @category Cards
 */
export interface SmartCard {
  /** The card's stable identifier. */
  readonly id: string;
  /** Physical or virtual. */
  readonly kind: CardKind;
  /** Serial, label, manufacturer, blank or not, and the PIN's state. */
  info(): Promise<CardInfo>;
  /** The PIN's state, without spending an attempt. */
  pinStatus(): Promise<CardPinStatus>;
  /** Checks the PIN; when right, the card session is authenticated until it ends. */
  verifyPin(pin: string): Promise<CardPinVerifyResult>;
  /** Replaces the PIN (checked against the card's policy first); a success authenticates too. */
  changePin(current: string, next: string): Promise<CardPinChangeResult>;
  /** Sets a new PIN with the PUK (string) or admin key (bytes). */
  unblockPin(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<CardPinUnblockResult>;
  /** Ends the card session: the PIN must be verified again. */
  logout(): Promise<void>;
  /** Generates a key pair on the card in a new container ("Create new key set"). */
  generateKeyPair(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo>;
  /** The key containers on the card. */
  containers(): Promise<KeyContainerInfo[]>;
  /**
   * Signs `data` with the container's private key: RSASSA-PKCS1-v1_5 for RSA keys, ECDSA (the
   * IEEE P1363 r‖s form WebCrypto uses) for EC keys. SHA-256 unless `hash` says otherwise. The
   * card hashes `data` itself; emulated cards take up to 1 MiB.
   */
  sign(
    container: string,
    data: Uint8Array<ArrayBuffer>,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** Decrypts RSA-OAEP ciphertext with an `exchange` RSA key (SHA-256 unless `hash` says). */
  decrypt(
    container: string,
    ciphertext: Uint8Array<ArrayBuffer>,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** Stores a DER certificate with its container; its public key must be the container's. */
  installCertificate(
    container: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void>;
  /** The DER certificate stored with the container, or `null`. */
  certificate(container: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Deletes a container: its key pair and its certificate. */
  deleteContainer(container: string): Promise<void>;
  /** A card reset (as a reader's warm reset): ends the card session; nothing stored changes. */
  reset(): Promise<void>;
}

/**
 * A place cards come and go: a simulated reader, or a PKCS#11 token watched by polling
 * (`Pkcs11Reader` in `smartcard-2fa/pkcs11`).
 * The sign-in flow waits on this interface, so every kind of reader drives it the same way.
 *
 * @example
 * ```ts
 * import { type CardReader, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * async function promptForCard(reader: CardReader) {
 *   return reader.card ?? (await reader.waitForCard({ timeout: 60_000 }));
 * }
 *
 * const reader = new SimulatedReader();
 * reader.insert(await PhysicalSmartCard.create());
 * const card = await promptForCard(reader); // the card in the reader, at once
 * ```
 *
 * @category Cards
 */
export interface CardReader {
  /** The reader's name. */
  readonly name: string;
  /** The card in the reader, or `null`. */
  readonly card: SmartCard | null;
  /** Calls `listener` on each insertion or removal; returns a function that stops it. */
  on(type: 'inserted' | 'removed', listener: (card: SmartCard) => void): () => void;
  /** The card, now or once inserted; `null` after `timeout` ms; rejects when `signal` aborts. */
  waitForCard(options?: { signal?: AbortSignal; timeout?: number }): Promise<SmartCard | null>;
}
