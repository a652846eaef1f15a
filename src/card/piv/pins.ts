/**
 * The PIN and PUK of a PIV card (SP 800-73-4 part 2 §3.2): VERIFY (and its status-only form,
 * which spends nothing and tells the tries left in `63Cx`), VERIFY P1 FF to log out, CHANGE
 * REFERENCE DATA and RESET RETRY COUNTER. A PIN the policy refuses is never sent; a PIN or PUK
 * goes to the card as its UTF-8 bytes padded with FF to 8, masked in the trace.
 */

import { DeviceMismatchError, InvalidInputError, UnblockUnavailableError } from '../../errors.js';
import { SW } from '../../lib/apdu.js';
import { concatBytes, utf8 } from '../../lib/bytes.js';
import { credentialKind } from '../../pin/credential.js';
import type { PinPolicy } from '../../pin/policy.js';
import { assertNewPin, assertPinFormat, optionalBoolean } from '../../pin/state-options.js';
import * as input from '../contract/input.js';
import type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
} from '../contract/pin-results.js';
import { answered, type PivLink } from './link.js';
import { PinMetadata } from './pin-metadata.js';
import { INS, KEY_REFERENCE, PIV_PIN_LENGTH } from './piv-constants.js';

/** What a PIN or PUK command's status word means: done, tries left, or blocked. */
type Outcome = { readonly status: 'ok' } | { readonly status: 'incorrect'; left: number };

/** A PIN or PUK as the card takes it: UTF-8, padded with FF to 8 bytes. */
export function paddedReference(value: string, label: string): Uint8Array<ArrayBuffer> {
  const bytes = utf8(value);
  if (bytes.length > PIV_PIN_LENGTH.padded) {
    throw new InvalidInputError(`A PIV ${label} is at most ${PIV_PIN_LENGTH.padded} bytes.`);
  }
  const padded = new Uint8Array(PIV_PIN_LENGTH.padded).fill(0xff);
  padded.set(bytes);
  return padded;
}

function outcome(sw: number, what: string): Outcome {
  if (sw === SW.OK) return { status: 'ok' };
  if ((sw & 0xfff0) === SW.TRIES_LEFT) return { status: 'incorrect', left: sw & 0x0f };
  if (sw === SW.BLOCKED) return { status: 'incorrect', left: 0 };
  throw new DeviceMismatchError(answered(sw, what));
}

/** A wrong PIN's or PUK's answer: `blocked` at no tries left. */
function wrong(left: number) {
  return left === 0
    ? ({ status: 'blocked' } as const)
    : ({ status: 'incorrect', attemptsRemaining: left } as const);
}

/** The PIN operations of one PIV card over its link. */
export class PivPins {
  readonly policy: PinPolicy;
  readonly #link: PivLink;
  readonly #metadata: PinMetadata;
  /** The PUK's tries left as last seen, for cards without metadata (PIV cannot read them). */
  #pukLeft: number | null = null;

  constructor(link: PivLink, policy: PinPolicy) {
    this.#link = link;
    this.#metadata = new PinMetadata(link);
    this.policy = policy;
  }

  async #send(ins: number, p1: number, p2: number, data: Uint8Array, what: string) {
    const response = await this.#link.send(
      { cla: 0, ins, p1, p2, data },
      { secret: data.length > 0 },
    );
    return outcome(response.sw, what);
  }

  /** Whether the PIN is verified in this card session: the status-only VERIFY. */
  async verified(): Promise<boolean> {
    return (await this.#statusOnly()).status === 'ok';
  }

  /** The PIN's state from the status-only VERIFY; spends no try. */
  async status(): Promise<CardPinStatus> {
    return (await this.read()).status;
  }

  /**
   * The PIN's state and whether it is verified: the status-only VERIFY, and a YubiKey's
   * metadata of the PIN and PUK (their limits, the PUK's tries, whether the PIN is the factory's).
   */
  async read(): Promise<{ status: CardPinStatus; verified: boolean }> {
    const result = await this.#statusOnly();
    const pin = await this.#metadata.read(KEY_REFERENCE.PIN);
    const puk = await this.#metadata.read(KEY_REFERENCE.PUK);
    const maxAttempts = pin?.maxAttempts ?? this.policy.rules.maxAttempts;
    const left = result.status === 'ok' ? maxAttempts : result.left;
    const pukLeft = puk?.attemptsRemaining ?? this.#pukLeft;
    const status: CardPinStatus = {
      attemptsRemaining: left,
      maxAttempts,
      blocked: left === 0,
      mustChange: false,
      isDefault: pin?.isDefault ?? null,
      unblock: [
        {
          kind: 'puk',
          attemptsRemaining: pukLeft,
          maxAttempts: puk?.maxAttempts ?? this.policy.rules.maxUnblockAttempts,
          blocked: pukLeft === 0,
        },
      ],
    };
    return { status, verified: result.status === 'ok' };
  }

  #statusOnly(): Promise<Outcome> {
    return this.#send(INS.VERIFY, 0, KEY_REFERENCE.PIN, new Uint8Array(0), 'VERIFY');
  }

  /** VERIFY with the PIN; a right one authenticates the card session. */
  async verify(pin: string): Promise<CardPinVerifyResult> {
    assertPinFormat(this.policy, pin, 'PIN');
    const data = paddedReference(pin, 'PIN');
    const result = await this.#send(INS.VERIFY, 0, KEY_REFERENCE.PIN, data, 'VERIFY');
    return result.status === 'ok' ? { status: 'verified', mustChange: false } : wrong(result.left);
  }

  /**
   * CHANGE REFERENCE DATA of the PIN, after the policy; then VERIFY with the new PIN, since the
   * contract has a changed PIN authenticate the card session and PIV does not say it does.
   */
  async change(current: string, next: string): Promise<CardPinChangeResult> {
    assertPinFormat(this.policy, current, 'current PIN');
    assertNewPin(this.policy, next, current);
    const data = concatBytes(paddedReference(current, 'PIN'), paddedReference(next, 'PIN'));
    const result = await this.#send(
      INS.CHANGE_REFERENCE_DATA,
      0,
      KEY_REFERENCE.PIN,
      data,
      'CHANGE REFERENCE DATA',
    );
    if (result.status !== 'ok') return wrong(result.left);
    await this.#send(INS.VERIFY, 0, KEY_REFERENCE.PIN, paddedReference(next, 'PIN'), 'VERIFY');
    return { status: 'changed' };
  }

  /** RESET RETRY COUNTER: the PUK sets a new PIN (and its tries back to the maximum). */
  async unblock(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<CardPinUnblockResult> {
    const checked = input.options<{ mustChange: boolean }>(options, 'unblockPin options');
    if (optionalBoolean(checked.mustChange, 'mustChange') === true) {
      throw new InvalidInputError('A PIV card cannot mark its PIN as to be changed.');
    }
    if (credentialKind(credential) !== 'puk') {
      throw new UnblockUnavailableError('A PIV card is unblocked with its PUK (a string).');
    }
    const puk = credential as string;
    if (puk.length === 0) throw new InvalidInputError('The PUK must not be empty.');
    assertNewPin(this.policy, next, undefined);
    const data = concatBytes(paddedReference(puk, 'PUK'), paddedReference(next, 'PIN'));
    const result = await this.#send(
      INS.RESET_RETRY_COUNTER,
      0,
      KEY_REFERENCE.PIN,
      data,
      'RESET RETRY COUNTER',
    );
    this.#pukLeft = result.status === 'ok' ? null : result.left;
    return result.status === 'ok' ? { status: 'unblocked' } : wrong(result.left);
  }

  /** VERIFY P1 FF: the PIN is no longer verified. */
  async logout(): Promise<void> {
    const response = await this.#link.send({
      cla: 0,
      ins: INS.VERIFY,
      p1: 0xff,
      p2: KEY_REFERENCE.PIN,
      data: new Uint8Array(0),
    });
    if (response.sw !== SW.OK) throw new DeviceMismatchError(answered(response.sw, 'VERIFY P1=FF'));
  }
}
