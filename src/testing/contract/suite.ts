/**
 * The SmartCard contract as a list of cases any test runner can run: what every card (the
 * emulated ones, a PKCS#11 token, your own) must do to drive the SDK as the SDK's own cards do.
 */
import { InvalidInputError } from '../../errors.js';
import { BAD_INPUT_CASE } from './bad-input-case.js';
import { CERTIFICATE_CASES } from './certificate-cases.js';
import type { CaseDefinition } from './contract-case.js';
import { CaseExpectations } from './expectations.js';
import { contractCrypto } from './independent-crypto.js';
import { KEY_CASES } from './key-cases.js';
import {
  type ContractCard,
  type ResolvedContractOptions,
  resolveContractOptions,
  type SmartCardContractOptions,
} from './options.js';
import { PIN_CASES } from './pin-cases.js';
import { SESSION_CASES } from './session-cases.js';
import { ContractViolation, describeValue } from './violation.js';

/**
 * One case of the SmartCard contract: its `name`, for the runner's test, and `run()`, which makes
 * a fresh card, checks it, cleans it up, and rejects with a {@link ContractViolation} if the
 * card does not do what the contract says. `run` needs no `this` and takes no arguments, so it
 * can be handed to a runner as it is.
 *
 * @example
 * ```ts
 * import { createTestCard, smartCardContract, type ContractCase } from 'smartcard-2fa/testing';
 *
 * const cases: readonly ContractCase[] = smartCardContract({
 *   makeCard: () => createTestCard({ kind: 'virtual', pin: 'k7#Lm2pQ' }),
 *   maxAttempts: 5,
 * });
 * for (const { name, run } of cases) {
 *   await run(); // throws a ContractViolation naming the case if the card breaks the contract
 *   console.log(`ok: ${name}`);
 * }
 * ```
 *
 * @category Testing
 */
export interface ContractCase {
  /** What the card must do, e.g. `'verifies the PIN, counts wrong ones, and blocks at the limit'`. */
  readonly name: string;
  /** Runs the case on a fresh card; rejects with a `ContractViolation` when the card fails it. */
  readonly run: () => Promise<void>;
}

const ALL_CASES: readonly CaseDefinition[] = [
  ...PIN_CASES,
  ...KEY_CASES,
  ...CERTIFICATE_CASES,
  BAD_INPUT_CASE,
  ...SESSION_CASES,
];

/** A second PIN for the cases: one that is not the card's. */
const NEW_PINS = ['Zx9!vB3n', 'k7#Lm2pQ'] as const;

/**
 * The SmartCard contract suite, as cases for any test runner (vitest, jest, mocha, node:test) or
 * none: the cases that apply to the card the options describe, each run on a fresh card from
 * `makeCard`. No runner is imported and no `node:` module, so it runs in browsers too. Checks of
 * signatures and encryption use WebCrypto, independently of the card.
 *
 * @throws `InvalidInputError` for options that are not {@link SmartCardContractOptions}; a
 * case's `run` rejects with it too when `makeCard` gives what the options do not promise.
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { createTestCard, smartCardContract } from 'smartcard-2fa/testing';
 *
 * describe('SmartCard contract: my card', () => {
 *   for (const c of smartCardContract({
 *     makeCard: async () => {
 *       const { card, reader } = await createTestCard({ kind: 'physical', pin: 'k7#Lm2pQ', puk: '27182818' });
 *       const removal = { remove: () => reader.remove(), insert: () => reader.insert(card) };
 *       return { card, pin: 'k7#Lm2pQ', puk: '27182818', removal };
 *     },
 *     maxAttempts: 5,
 *     algorithms: ['RSA-2048', 'ECDSA-P256'],
 *     unblocks: true,
 *     removable: true,
 *   })) {
 *     it(c.name, c.run); // node:test: test(c.name, c.run); mocha and jest: it(c.name, c.run)
 *   }
 * });
 * ```
 *
 * @category Testing
 */
export function smartCardContract(options: SmartCardContractOptions): readonly ContractCase[] {
  const resolved = resolveContractOptions(options);
  return ALL_CASES.filter((definition) => definition.appliesTo?.(resolved) ?? true).map(
    (definition) => ({ name: definition.name, run: () => runCase(definition, resolved) }),
  );
}

async function runCase(definition: CaseDefinition, options: ResolvedContractOptions) {
  const crypto = await contractCrypto(options.crypto);
  const made = checkedCard(await options.makeCard(), options, definition.name);
  const expect = new CaseExpectations(definition.name);
  const newPin = NEW_PINS.find((candidate) => candidate !== made.pin) ?? NEW_PINS[0];
  const context = {
    card: made.card,
    pin: made.pin,
    newPin: made.newPin ?? newPin,
    puk: made.puk ?? '',
    removal: made.removal ?? { remove() {}, insert() {} },
    options,
    crypto,
    expect,
  };
  try {
    await definition.body(context);
  } catch (error) {
    if (error instanceof ContractViolation) throw error;
    expect.fail('the case ran to its end', 'no error', describeValue(error), error);
  } finally {
    await made.cleanup?.();
  }
}

/** `made` if it is what the options promise. */
function checkedCard(made: ContractCard, options: ResolvedContractOptions, caseName: string) {
  const problem =
    typeof made !== 'object' || made === null
      ? 'an object { card, pin, ... }'
      : typeof made.card !== 'object' || made.card === null
        ? 'a card'
        : typeof made.pin !== 'string'
          ? "the card's pin"
          : options.unblocks && typeof made.puk !== 'string'
            ? 'a puk (the options say the card unblocks)'
            : options.removable && typeof made.removal?.remove !== 'function'
              ? 'removal (the options say the card is removable)'
              : undefined;
  if (problem !== undefined) {
    throw new InvalidInputError(
      `smartCardContract, case "${caseName}": makeCard() must give ${problem}.`,
    );
  }
  return made;
}
