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
import { InvalidInputError } from '../errors.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { typeWrongPinsUntilBlocked } from './block-pin.js';
import { controlsOf, type FaultControls } from './controls.js';
import { checkOperation, FaultPlan } from './fault-plan.js';
import { type CardOperation, type CardTraceEntry, type InjectedFault, outcomeOf } from './trace.js';

/**
 * A {@link SmartCard} with faults on demand and a trace of what it did: wraps any card (an
 * emulated one, a PKCS#11 one, an app's own) and implements the same contract, so the code under
 * test uses it as it would the card. `createTestCard` makes one; `withFaults` wraps a card
 * you have.
 *
 * - `failNext(operation, error)`: the next call of `operation` rejects with `error` and does not
 *   reach the card. The card stays where it is: a `CardRemovedError` here is a one-off answer,
 *   not a removal (no reader event follows); to pull the card out, use `removeDuring`.
 * - `removeDuring(operation)`: the card is pulled out of its reader in the middle of the next
 *   call of `operation`; the card itself notices (`ERR_CARD_REMOVED`) and is left as its contract
 *   says. Cards made by `createTestCard({ kind: 'physical' })` only.
 * - `tearNextWrite()`: the card's next write to its memory fails and nothing of it lands; the
 *   operation fails with `ERR_STORAGE` and the card is as it was. Cards made by `createTestCard`.
 * - `blockPin()`: wrong PINs until the card says it is blocked.
 * - `trace`: every operation called through this object, with its outcome, never its arguments.
 *
 * Operations run one at a time in call order, as on a card.
 *
 * @example
 * ```ts
 * import { CardRemovedError } from 'smartcard-2fa';
 * import { createTestCard } from 'smartcard-2fa/testing';
 *
 * const { card } = await createTestCard({ kind: 'physical', pin: 'k7#Lm2pQ' });
 * card.failNext('verifyPin', new CardRemovedError('pulled out'));
 * await card.verifyPin('k7#Lm2pQ').catch((e) => e.code); // 'ERR_CARD_REMOVED'
 * await card.verifyPin('k7#Lm2pQ'); // { status: 'verified', mustChange: false }
 * card.trace;
 * // [{ operation: 'verifyPin', outcome: 'ERR_CARD_REMOVED', injected: 'fail' },
 * //  { operation: 'verifyPin', outcome: 'verified' }]
 * ```
 *
 * @category Testing
 */
export class FaultyCard implements SmartCard {
  readonly #card: SmartCard;
  readonly #controls: FaultControls | undefined;
  readonly #queue = new SerialQueue();
  readonly #plan = new FaultPlan();
  #trace: CardTraceEntry[] = [];

  /** @internal Use `withFaults` or `createTestCard`. */
  constructor(card: SmartCard) {
    if (card instanceof FaultyCard) {
      throw new InvalidInputError('The card is a FaultyCard already: use it as it is.');
    }
    this.#card = card;
    this.#controls = controlsOf(card);
  }

  /** The wrapped card's id. */
  get id(): string {
    return this.#card.id;
  }

  /** The wrapped card's kind. */
  get kind(): CardKind {
    return this.#card.kind;
  }

  /** The card this one wraps: calls made on it directly bypass faults and the trace. */
  get card(): SmartCard {
    return this.#card;
  }

  /** The operations performed through this object so far, oldest first (a copy). */
  get trace(): readonly CardTraceEntry[] {
    return [...this.#trace];
  }

  /** Empties the trace. */
  clearTrace(): void {
    this.#trace = [];
  }

  /**
   * Makes the next call of `operation` reject with `error`, without reaching the card. Several
   * calls queue up, in order.
   *
   * @throws `InvalidInputError` for an unknown operation or an `error` that is not an `Error`.
   */
  failNext(operation: CardOperation, error: Error): this {
    this.#plan.failNext(operation, error);
    return this;
  }

  /**
   * Pulls the card out of its reader during the next call of `operation`: at the card's internal
   * checkpoint `step` (by default one inside the operation, before it writes or answers: the PIN
   * write of PIN operations, key generation, signing, decrypting, the commit of writes; `begin`
   * for the others). If the operation ends without reaching that step (it failed first), the
   * card is pulled out as it ends. The card stays out: insert it again with its reader.
   *
   * @throws `InvalidInputError` unless the card is a physical card made by `createTestCard`.
   */
  removeDuring(operation: CardOperation, options: { step?: string } = {}): this {
    checkOperation(operation, 'removeDuring');
    if (this.#controls === undefined || this.kind !== 'physical') {
      throw new InvalidInputError(
        'removeDuring needs a physical card made by createTestCard: a virtual card is never removed, and other cards have no reader the kit controls.',
      );
    }
    this.#plan.removeDuring(operation, options?.step);
    return this;
  }

  /**
   * Tears the card's next write to its memory: the write throws and nothing of it lands, so the
   * operation making it fails with `ERR_STORAGE` and the card is as it was before that operation
   * (a PIN check whose attempt could not be written compared nothing and spent nothing).
   *
   * @throws `InvalidInputError` unless the card was made by `createTestCard`.
   */
  tearNextWrite(): this {
    if (this.#controls === undefined) {
      throw new InvalidInputError('tearNextWrite needs a card made by createTestCard.');
    }
    this.#controls.store.arm();
    return this;
  }

  /**
   * Blocks the PIN the way a person would: wrong PINs (of the card's PIN format) until the card
   * answers `blocked`. They appear in the trace as `verifyPin` calls marked `block-pin`. On a
   * virtual card made by `createTestCard`, a TPM lockout its wrong PINs cause is cleared.
   *
   * @throws what the card throws (`ERR_CARD_REMOVED` for a card out of its reader, say).
   */
  blockPin(): Promise<void> {
    const verifyPin = (pin: string) =>
      this.#run('verifyPin', () => this.#card.verifyPin(pin), 'block-pin');
    return typeWrongPinsUntilBlocked(verifyPin, this.#controls);
  }

  info(): Promise<CardInfo> {
    return this.#run('info', () => this.#card.info());
  }

  pinStatus(): Promise<CardPinStatus> {
    return this.#run('pinStatus', () => this.#card.pinStatus());
  }

  verifyPin(pin: string): Promise<CardPinVerifyResult> {
    return this.#run('verifyPin', () => this.#card.verifyPin(pin));
  }

  changePin(current: string, next: string): Promise<CardPinChangeResult> {
    return this.#run('changePin', () => this.#card.changePin(current, next));
  }

  unblockPin(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<CardPinUnblockResult> {
    return this.#run('unblockPin', () => this.#card.unblockPin(credential, next, options));
  }

  logout(): Promise<void> {
    return this.#run('logout', () => this.#card.logout());
  }

  generateKeyPair(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo> {
    return this.#run('generateKeyPair', () => this.#card.generateKeyPair(options));
  }

  containers(): Promise<KeyContainerInfo[]> {
    return this.#run('containers', () => this.#card.containers());
  }

  sign(
    container: string,
    data: Uint8Array<ArrayBuffer>,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#run('sign', () => this.#card.sign(container, data, options));
  }

  decrypt(
    container: string,
    ciphertext: Uint8Array<ArrayBuffer>,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#run('decrypt', () => this.#card.decrypt(container, ciphertext, options));
  }

  installCertificate(
    container: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void> {
    return this.#run('installCertificate', () =>
      this.#card.installCertificate(container, der, options),
    );
  }

  certificate(container: string): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#run('certificate', () => this.#card.certificate(container));
  }

  deleteContainer(container: string): Promise<void> {
    return this.#run('deleteContainer', () => this.#card.deleteContainer(container));
  }

  reset(): Promise<void> {
    return this.#run('reset', () => this.#card.reset());
  }

  /** The card as text, for logs: kind and id only. */
  toString(): string {
    return `faulty ${this.kind} smart card ${this.id}`;
  }

  #run<T>(operation: CardOperation, call: () => Promise<T>, by?: InjectedFault): Promise<T> {
    return this.#queue.run(async () => {
      const failure = this.#plan.takeFailure(operation);
      if (failure !== undefined) {
        this.#trace.push({ operation, outcome: outcomeOf({ error: failure }), injected: 'fail' });
        throw failure;
      }
      const controls = this.#controls;
      const removeAt = this.#plan.takeRemoval(operation);
      if (removeAt !== undefined) controls?.armRemoval(removeAt);
      const tornBefore = controls?.store.torn ?? 0;
      let settled: { value: T } | { error: unknown };
      try {
        settled = { value: await call() };
      } catch (error) {
        settled = { error };
      }
      if (removeAt !== undefined && controls?.disarmRemoval()) controls.pullOut();
      const torn = (controls?.store.torn ?? 0) > tornBefore;
      const injected = by ?? (removeAt !== undefined ? 'remove' : torn ? 'tear' : undefined);
      const outcome = outcomeOf(settled);
      this.#trace.push(
        injected === undefined ? { operation, outcome } : { operation, outcome, injected },
      );
      if ('error' in settled) throw settled.error;
      return settled.value;
    });
  }
}
