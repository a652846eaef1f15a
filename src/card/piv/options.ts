/**
 * The options of {@link PivSmartCard.open}, and their checks.
 */
import type { WebCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { PinPolicy } from '../../pin/policy.js';
import type { PinPolicyRules } from '../../pin/rules.js';
import * as input from '../contract/input.js';
import type { CardKind } from '../contract/smart-card.js';
import { checkManagementKey, type PivManagementKey } from './management-key.js';
import { OBJECT_TAG, PIV_PIN_LENGTH } from './piv-constants.js';
import type { ApduEvent } from './transport.js';

/**
 * What {@link PivSmartCard.open} takes besides the transport.
 *
 * @example
 * ```ts
 * import { type ApduTransport, type PivCardOptions, PivSmartCard } from 'smartcard-2fa/card';
 *
 * declare const transport: ApduTransport;
 * declare const managementKey: Uint8Array; // 24 bytes, from your key store
 * const options: PivCardOptions = {
 *   managementKey: { algorithm: '3DES', key: managementKey },
 *   pinPolicy: { maxAttempts: 5 }, // the card's own retry limit, if not 3
 *   onApdu: (event) => console.log(event.command, event.response), // PINs masked
 * };
 * const card = await PivSmartCard.open(transport, options);
 * console.log((await card.info()).serial);
 * ```
 *
 * @category Cards
 */
export interface PivCardOptions {
  /**
   * The card's management key, needed to generate keys, store certificates and delete
   * containers (reading, PINs and signing do without it).
   */
  readonly managementKey?: PivManagementKey;
  /**
   * The PIN rules the SDK applies before the card sees a PIN: a `PinPolicy`, or rules merged
   * onto the `piv` preset (6 to 8 characters, 3 tries, no change on first use). `maxAttempts`
   * should be the card's own limit: it is what `pinStatus()` reports as `maxAttempts`. A PIN is
   * at most 8 bytes: `maxLength` cannot be more.
   */
  readonly pinPolicy?: PinPolicy | Partial<PinPolicyRules>;
  /** `physical` (the default: a card in a reader) or `virtual`. */
  readonly kind?: CardKind;
  /** Called with every command and response APDU, secrets masked (see {@link ApduEvent}). */
  readonly onApdu?: (event: ApduEvent) => void;
  /** The WebCrypto to hash and to check the card with; the runtime's by default. */
  readonly crypto?: WebCrypto;
  /**
   * The data object where the SDK keeps its container map: 5FA000 by default, which YubiKeys
   * store (they take any 5Fxxxx object). A card that stores only PIV's own objects needs one
   * of those it does not use, as a retired key management certificate object (5FC10D-5FC120).
   */
  readonly containerMapObject?: number;
}

/** The options checked. */
export interface CheckedPivOptions {
  readonly managementKey: PivManagementKey | undefined;
  readonly policy: PinPolicy;
  readonly kind: CardKind;
  readonly onApdu: ((event: ApduEvent) => void) | undefined;
  readonly crypto: WebCrypto | undefined;
  readonly containerMapObject: number;
}

/** Checks the options of {@link PivSmartCard.open}; `InvalidInputError` for a bad one. */
export function checkPivOptions(value: unknown): CheckedPivOptions {
  const options = input.options<PivCardOptions>(value, 'PivSmartCard.open options');
  const kind = options.kind ?? 'physical';
  if (kind !== 'physical' && kind !== 'virtual') {
    throw new InvalidInputError('kind must be "physical" or "virtual".');
  }
  if (options.onApdu !== undefined && typeof options.onApdu !== 'function') {
    throw new InvalidInputError('onApdu must be a function.');
  }
  const given = options.pinPolicy;
  const policy =
    given instanceof PinPolicy ? given : PinPolicy.preset('piv', input.options(given, 'pinPolicy'));
  if (policy.rules.maxLength > PIV_PIN_LENGTH.padded) {
    throw new InvalidInputError(`A PIV PIN is at most ${PIV_PIN_LENGTH.padded} characters.`);
  }
  const containerMapObject = options.containerMapObject ?? OBJECT_TAG.SDK_CONTAINERS;
  if (
    !Number.isInteger(containerMapObject) ||
    containerMapObject < 0x5f0000 ||
    containerMapObject > 0x5fffff
  ) {
    throw new InvalidInputError('containerMapObject is a PIV data object tag, 5F0000 to 5FFFFF.');
  }
  return {
    containerMapObject,
    managementKey: checkManagementKey(options.managementKey),
    policy,
    kind,
    onApdu: options.onApdu,
    crypto: options.crypto,
  };
}
