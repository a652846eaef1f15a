import type { EmulatedSmartCard } from '../card/chip/emulated-card.js';
import type { CardKind } from '../card/contract/smart-card.js';
import { PhysicalSmartCard } from '../card/physical/physical-card.js';
import type { CardStore } from '../card/storage/card-store.js';
import { SoftwareTpm } from '../card/tpm/software-tpm.js';
import { VirtualSmartCard } from '../card/virtual/virtual-card.js';
import type { WebCrypto } from '../crypto.js';
import { getCrypto } from '../crypto.js';
import { InvalidInputError } from '../errors.js';
import { PinPolicy, type PinPolicyRules } from '../pin/index.js';
import { FaultControls, registerControls, TearableStore } from './controls.js';
import type { FaultyCard } from './faulty-card.js';
import { fixtureKeySource } from './key-source.js';
import { createTestPki, type TestPki } from './test-pki.js';
import type { TestEnrollment, TestEnrollOptions } from './test-pki-options.js';
import { TestReader } from './test-reader.js';
import { withFaults } from './with-faults.js';

/**
 * How {@link createTestCard} enrolls the card: {@link TestEnrollOptions} (user, template,
 * algorithm), and the PKI to enroll with (a new {@link createTestPki} when left out).
 *
 * @example
 * ```ts
 * import { createTestCard, createTestPki, type TestCardEnrollment } from 'smartcard-2fa/testing';
 *
 * const enrolled: TestCardEnrollment = { pki: await createTestPki(), user: 'bob', template: 'SmartcardLogon' };
 * const { enrollment } = await createTestCard({ kind: 'virtual', enrolled });
 * enrollment?.user.upn; // 'bob@contoso.test'
 * ```
 *
 * @category Testing
 */
export interface TestCardEnrollment extends Omit<TestEnrollOptions, 'pin' | 'requirePinChange'> {
  /** The PKI that issues the certificate. */
  readonly pki?: TestPki;
}

/**
 * Options of {@link createTestCard}. Only `kind` is required.
 *
 * @example
 * ```ts
 * import { createTestCard, type TestCardOptions } from 'smartcard-2fa/testing';
 *
 * const options: TestCardOptions = { kind: 'physical', enrolled: true, pin: 'k7#Lm2pQ', puk: '27182818' };
 * const { card } = await createTestCard(options);
 * await card.verifyPin('k7#Lm2pQ'); // { status: 'verified', mustChange: false }
 * ```
 *
 * @category Testing
 */
export interface TestCardOptions {
  /** A physical card (in a reader) or a virtual card (on a TPM). */
  readonly kind: CardKind;
  /** The PIN: `'default'` (the policy's default PIN, 12345678; the default) or your own. */
  readonly pin?: string;
  /** Whether the PIN must be changed before use; `false` by default. */
  readonly mustChange?: boolean;
  /** A PUK that unblocks the PIN; none by default. */
  readonly puk?: string;
  /** A virtual card's admin key; `'default'` by default (see `defaultAdminKey`). */
  readonly adminKey?: 'default' | 'random' | Uint8Array<ArrayBuffer>;
  /** Wrong PINs before the card blocks; the policy's (5) by default. */
  readonly maxAttempts?: number;
  /**
   * The PIN rules; by default the kind's: `skypeForBusiness` for physical cards,
   * `windowsVirtualSmartCard` for virtual ones. `maxAttempts` is applied on top.
   */
  readonly pinPolicy?: PinPolicy | Partial<PinPolicyRules>;
  /** Enroll a certificate on the card: `true` (Alice, Smartcard User, a new PKI) or how. */
  readonly enrolled?: boolean | TestCardEnrollment;
  /** The serial; `TEST-P-1`, `TEST-V-2`, ... by default. */
  readonly serial?: string;
  /** A physical card's label or a virtual card's name. */
  readonly label?: string;
  /** A physical card: the reader to put it in; a new `TestReader` by default. */
  readonly reader?: TestReader;
  /** A physical card: whether it starts in its reader; `true` by default. */
  readonly inserted?: boolean;
  /** A virtual card: its TPM; a new `SoftwareTpm` by default. */
  readonly tpm?: SoftwareTpm;
  /** Where the card keeps its state; a `MemoryStore` by default. Torn writes tear this. */
  readonly store?: CardStore;
  /** The WebCrypto to use; the runtime's by default. */
  readonly crypto?: WebCrypto;
}

/**
 * A card {@link createTestCard} made, and what goes with it.
 *
 * @example
 * ```ts
 * import { createTestCard, type TestCard } from 'smartcard-2fa/testing';
 *
 * const test: TestCard<'virtual'> = await createTestCard({ kind: 'virtual' });
 * await test.card.verifyPin(test.pin); // { status: 'verified', mustChange: false }
 * test.tpm; // the card's SoftwareTpm
 * ```
 *
 * @category Testing
 */
export interface TestCard<K extends CardKind = CardKind> {
  /** The card, with faults and a trace: give this one to the code under test. */
  readonly card: FaultyCard;
  /** The emulated card inside (calls on it bypass faults and the trace). */
  readonly emulated: EmulatedSmartCard;
  /** A physical card's reader (handing out `card`); `null` for a virtual card. */
  readonly reader: K extends 'physical'
    ? TestReader
    : K extends 'virtual'
      ? null
      : TestReader | null;
  /** A virtual card's TPM; `null` for a physical card. */
  readonly tpm: K extends 'virtual'
    ? SoftwareTpm
    : K extends 'physical'
      ? null
      : SoftwareTpm | null;
  /** The card's PIN. */
  readonly pin: string;
  /** The PKI the card was enrolled with; `null` when not enrolled. */
  readonly pki: TestPki | null;
  /** The certificate the card was enrolled with; `null` when not enrolled. */
  readonly enrollment: TestEnrollment | null;
}

let made = 0;

/**
 * A card for tests, ready to use: physical (already in a reader) or virtual, blank or enrolled
 * with a certificate from a test PKI, with the PIN and must-change chosen. Test cards hash PINs
 * cheaply and take their key pairs from the kit's fixture keys, so a suite pays for neither
 * PBKDF2 nor RSA key generation; nothing else differs from an emulated card. The card comes
 * as a {@link FaultyCard}: fail, remove, tear, block and trace at will.
 *
 * @throws `InvalidInputError` for bad options (and what the cards throw for theirs).
 * @example
 * ```ts
 * import { createTestCard } from 'smartcard-2fa/testing';
 *
 * const { card, reader, pin, pki } = await createTestCard({ kind: 'physical', enrolled: true });
 * await card.verifyPin(pin); // { status: 'verified', mustChange: false }
 * (await card.containers())[0]?.hasCertificate; // true
 * ```
 *
 * @category Testing
 */
export async function createTestCard<K extends CardKind>(
  options: TestCardOptions & { readonly kind: K },
): Promise<TestCard<K>> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('createTestCard takes an options object with a kind.');
  }
  const { kind } = options;
  if (kind !== 'physical' && kind !== 'virtual') {
    throw new InvalidInputError("createTestCard: kind is 'physical' or 'virtual'.");
  }
  if (options.pin !== undefined && typeof options.pin !== 'string') {
    throw new InvalidInputError("createTestCard: pin is 'default' or a PIN.");
  }
  if (options.reader !== undefined && !(options.reader instanceof TestReader)) {
    throw new InvalidInputError('createTestCard: reader is a TestReader.');
  }
  const base =
    options.pinPolicy ??
    PinPolicy.preset(kind === 'physical' ? 'skypeForBusiness' : 'windowsVirtualSmartCard');
  const rules = PinPolicy.from(base).rules;
  const policy = new PinPolicy(
    options.maxAttempts === undefined ? rules : { ...rules, maxAttempts: options.maxAttempts },
  );
  const pin =
    options.pin === undefined || options.pin === 'default' ? rules.defaultPin : options.pin;
  const enrolled = options.enrolled ?? false;
  const mustChange = options.mustChange ?? false;
  made += 1;
  const crypto = await getCrypto(options.crypto === undefined ? {} : { crypto: options.crypto });
  const store = new TearableStore(options.store);
  const tpm = kind === 'virtual' ? (options.tpm ?? (await SoftwareTpm.create({ crypto }))) : null;
  const controls = new FaultControls({ store, pinPolicy: policy, tpm });
  const common = {
    crypto,
    store,
    pinPolicy: policy,
    ...(pin === rules.defaultPin ? {} : { pin }),
    mustChange: enrolled === false ? mustChange : false,
    pinHashIterations: 1,
    keySource: fixtureKeySource,
    hooks: controls.hooks,
    serial: options.serial ?? `TEST-${kind === 'physical' ? 'P' : 'V'}-${made}`,
    ...(options.puk === undefined ? {} : { puk: options.puk }),
  };
  let emulated: EmulatedSmartCard;
  let reader: TestReader | null = null;
  if (tpm === null) {
    const physical = await PhysicalSmartCard.create({
      ...common,
      ...(options.label === undefined ? {} : { label: options.label }),
    });
    emulated = physical;
    reader = options.reader ?? new TestReader();
    reader.insert(physical);
  } else {
    emulated = await VirtualSmartCard.create({
      ...common,
      tpm,
      ...(options.label === undefined ? {} : { name: options.label }),
      // A test kit's card: the well-known default admin key unless told otherwise, by name.
      adminKey: options.adminKey ?? 'default',
    });
  }
  registerControls(emulated, controls);
  let pki: TestPki | null = null;
  let enrollment: TestEnrollment | null = null;
  if (enrolled !== false) {
    const how: TestCardEnrollment = enrolled === true ? {} : enrolled;
    if (typeof how !== 'object' || how === null) {
      throw new InvalidInputError('createTestCard: enrolled is true, false or the enrollment.');
    }
    const { pki: given, ...rest } = how;
    pki =
      given ??
      (await createTestPki(options.crypto === undefined ? {} : { crypto: options.crypto }));
    enrollment = await pki.enroll(emulated, { ...rest, pin, requirePinChange: mustChange });
  }
  if (reader !== null && options.inserted === false) reader.remove();
  const result: TestCard = {
    card: withFaults(emulated),
    emulated,
    reader,
    tpm,
    pin,
    pki,
    enrollment,
  };
  return result as TestCard<K>;
}
