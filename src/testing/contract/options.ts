/**
 * What the SmartCard contract suite is told about the cards it tests: how to make a fresh one,
 * and what the card supports, so that a card without a PUK or without removal runs every case
 * that applies to it and none that does not.
 */
import type { CardKind, KeyAlgorithmName, SmartCard } from '../../card/contract/smart-card.js';
import type { WebCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';

/**
 * A fresh card for one case of the contract, from {@link SmartCardContractOptions.makeCard}:
 * its PIN known and not marked must-change, no key container, no PIN verified.
 *
 * @example
 * ```ts
 * import { createTestCard, type ContractCard } from 'smartcard-2fa/testing';
 *
 * const { card, reader } = await createTestCard({ kind: 'physical', pin: 'k7#Lm2pQ', puk: '27182818' });
 * const fresh: ContractCard = {
 *   card,
 *   pin: 'k7#Lm2pQ',
 *   puk: '27182818',
 *   removal: { remove: () => reader.remove(), insert: () => reader.insert(card) },
 * };
 * await fresh.card.verifyPin(fresh.pin); // { status: 'verified', mustChange: false }
 * ```
 *
 * @category Testing
 */
export interface ContractCard {
  /** The card under test. */
  readonly card: SmartCard;
  /** Its current PIN. */
  readonly pin: string;
  /** Another PIN its policy accepts, for changes and wrong guesses; `'Zx9!vB3n'` by default. */
  readonly newPin?: string;
  /** Its PUK: required when the options say it `unblock`s. */
  readonly puk?: string;
  /** Takes the card out of its reader and puts it back: required when it is `removable`. */
  readonly removal?: {
    /** Takes the card out of its reader. */
    remove(): void;
    /** Puts it back in. */
    insert(): void;
  };
  /** Called after the case, passed or failed: close a session, delete a token's objects. */
  cleanup?(): void | Promise<void>;
}

/**
 * Options of {@link smartCardContract}: a factory of fresh cards and what the card supports.
 * Cases for what it does not support (unblocking, removal, decryption) are left out of the list.
 *
 * @example
 * ```ts
 * import { createTestCard, smartCardContract, type SmartCardContractOptions } from 'smartcard-2fa/testing';
 *
 * const options: SmartCardContractOptions = {
 *   makeCard: async () => ({ ...(await createTestCard({ kind: 'virtual', pin: 'k7#Lm2pQ' })), pin: 'k7#Lm2pQ' }),
 *   maxAttempts: 5,
 *   algorithms: ['RSA-2048', 'ECDSA-P256'],
 * };
 * smartCardContract(options).map((c) => c.name); // ['describes itself, blank, without spending an attempt', ...]
 * ```
 *
 * @category Testing
 */
export interface SmartCardContractOptions {
  /** A fresh card for each case (see {@link ContractCard}); never one a case used before. */
  makeCard(): Promise<ContractCard>;
  /** Consecutive wrong PINs that block the PIN. */
  readonly maxAttempts: number;
  /** The kind the card says it is, when the test knows it; checked by the first case. */
  readonly kind?: CardKind;
  /** Whether `pinStatus()` counts the attempts left exactly (some PKCS#11 tokens do not); `true`. */
  readonly countsAttempts?: boolean;
  /** The algorithms the card generates keys of; `['RSA-2048']` (the contract's default) by default. */
  readonly algorithms?: readonly KeyAlgorithmName[];
  /** Whether the card decrypts RSA-OAEP with its exchange keys; `true` by default. */
  readonly decrypts?: boolean;
  /** Whether a PUK unblocks the PIN (then `makeCard` gives `puk`); `false` by default. */
  readonly unblocks?: boolean;
  /** Whether the card can be taken out of its reader (then `makeCard` gives `removal`); `false`. */
  readonly removable?: boolean;
  /** The WebCrypto the suite checks signatures and encrypts with; the runtime's by default. */
  readonly crypto?: WebCrypto;
}

/** The options with their defaults, as the cases read them. Internal. */
export interface ResolvedContractOptions {
  readonly makeCard: () => Promise<ContractCard>;
  readonly maxAttempts: number;
  readonly kind: CardKind | undefined;
  readonly countsAttempts: boolean;
  readonly algorithms: readonly KeyAlgorithmName[];
  readonly decrypts: boolean;
  readonly unblocks: boolean;
  readonly removable: boolean;
  readonly crypto: WebCrypto | undefined;
}

const ALGORITHMS: readonly KeyAlgorithmName[] = [
  'RSA-2048',
  'RSA-3072',
  'RSA-4096',
  'ECDSA-P256',
  'ECDSA-P384',
];

/**
 * The options checked and completed with their defaults.
 *
 * @throws `InvalidInputError` for options that are not the contract's.
 */
export function resolveContractOptions(options: SmartCardContractOptions): ResolvedContractOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('smartCardContract takes an options object.');
  }
  if (typeof options.makeCard !== 'function') {
    throw new InvalidInputError('smartCardContract: makeCard() makes a fresh card for each case.');
  }
  const { maxAttempts } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InvalidInputError(
      'smartCardContract: maxAttempts is the number of wrong PINs that block.',
    );
  }
  const algorithms = options.algorithms ?? ['RSA-2048'];
  if (!Array.isArray(algorithms) || !algorithms.every((a) => ALGORITHMS.includes(a))) {
    throw new InvalidInputError(
      `smartCardContract: algorithms are some of ${ALGORITHMS.join(', ')}.`,
    );
  }
  const flag = (name: string, value: unknown, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      throw new InvalidInputError(`smartCardContract: ${name} is true or false.`);
    }
    return value;
  };
  return {
    makeCard: () => options.makeCard(),
    maxAttempts,
    kind: options.kind,
    countsAttempts: flag('countsAttempts', options.countsAttempts, true),
    algorithms,
    decrypts: flag('decrypts', options.decrypts, true),
    unblocks: flag('unblocks', options.unblocks, false),
    removable: flag('removable', options.removable, false),
    crypto: options.crypto,
  };
}
