/**
 * The faults a {@link FaultyCard} has been asked for and not yet injected: per operation, the
 * errors of `failNext` and the checkpoints of `removeDuring`, each queue taken in order.
 */
import { InvalidInputError } from '../errors.js';
import { getOrInsert } from '../lib/maps.js';
import { CARD_OPERATIONS, type CardOperation } from './trace.js';

/**
 * Where `removeDuring` pulls an emulated card out when no `step` is given: inside the operation,
 * after it has begun its work and before it writes or answers, so the card's own atomicity is
 * what the test sees.
 */
const REMOVAL_STEPS: Partial<Record<CardOperation, string>> = {
  verifyPin: 'pin-write',
  changePin: 'pin-write',
  unblockPin: 'pin-write',
  generateKeyPair: 'key-ready',
  sign: 'sign',
  decrypt: 'decrypt',
  installCertificate: 'commit',
  deleteContainer: 'commit',
};

/** `operation` if it is a card operation, else `InvalidInputError` saying which are. */
export function checkOperation(
  operation: unknown,
  method: string,
): asserts operation is CardOperation {
  if (!CARD_OPERATIONS.includes(operation as CardOperation)) {
    throw new InvalidInputError(
      `${method}: the operation is one of ${CARD_OPERATIONS.join(', ')}.`,
    );
  }
}

/**
 * The faults planned for the next calls of each operation. Internal to the kit.
 *
 * @example
 * ```ts
 * import { CardRemovedError } from '../errors.js';
 * import { FaultPlan } from './fault-plan.js';
 *
 * const plan = new FaultPlan().failNext('sign', new CardRemovedError('pulled out'));
 * plan.takeFailure('sign'); // the CardRemovedError
 * plan.takeFailure('sign'); // undefined: it was for one call
 * ```
 */
export class FaultPlan {
  readonly #failures = new Map<CardOperation, Error[]>();
  readonly #removals = new Map<CardOperation, string[]>();

  /**
   * Plans the next call of `operation` to fail with `error`; several queue up in order.
   *
   * @throws `InvalidInputError` for an unknown operation or an `error` that is not an `Error`.
   */
  failNext(operation: CardOperation, error: Error): this {
    checkOperation(operation, 'failNext');
    if (!(error instanceof Error)) {
      throw new InvalidInputError('failNext takes the Error to fail with, e.g. a SmartCardError.');
    }
    queued(this.#failures, operation).push(error);
    return this;
  }

  /**
   * Plans a removal at checkpoint `step` of the next call of `operation` (by default the
   * operation's own, `begin` for those without one).
   *
   * @throws `InvalidInputError` for an unknown operation or a step that is not a name.
   */
  removeDuring(operation: CardOperation, step?: string): this {
    checkOperation(operation, 'removeDuring');
    const checkpoint = step ?? REMOVAL_STEPS[operation] ?? 'begin';
    if (typeof checkpoint !== 'string' || checkpoint === '') {
      throw new InvalidInputError('removeDuring: step is the name of a card checkpoint.');
    }
    queued(this.#removals, operation).push(checkpoint);
    return this;
  }

  /** The error the next call of `operation` fails with, taken from the plan; or none. */
  takeFailure(operation: CardOperation): Error | undefined {
    return this.#failures.get(operation)?.shift();
  }

  /** The checkpoint the card is pulled out at in this call of `operation`, taken; or none. */
  takeRemoval(operation: CardOperation): string | undefined {
    return this.#removals.get(operation)?.shift();
  }
}

function queued<T>(map: Map<CardOperation, T[]>, operation: CardOperation): T[] {
  return getOrInsert(map, operation, () => []);
}
