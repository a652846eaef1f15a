import * as input from '../card/contract/input.js';
import type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
} from '../card/contract/pin-results.js';
import { InvalidInputError, UnblockUnavailableError } from '../errors.js';
import { credentialKind } from '../pin/credential.js';
import type { PinPolicy } from '../pin/policy.js';
import { assertNewPin, assertPinFormat, optionalBoolean } from '../pin/state-options.js';
import { newPinRefused, type PinLogins } from './pin-login.js';
import type { RecordKeeper } from './record-keeper.js';
import type { TokenSession } from './token.js';

/**
 * The PIN operations of a PKCS#11 card: its state (the SDK's counters and the token's flags),
 * verify, change, unblock by the security officer, must-change.
 *
 * @example
 * ```ts
 * import type { PinPolicy } from '../pin/policy.js';
 * import type { PinLogins } from './pin-login.js';
 * import { TokenPins } from './pins.js';
 * import type { RecordKeeper } from './record-keeper.js';
 * import type { TokenSession } from './token.js';
 *
 * declare const policy: PinPolicy; // tokenPolicy(token, options.pinPolicy)
 * declare const session: TokenSession;
 * declare const records: RecordKeeper;
 * declare const logins: PinLogins;
 * const pins = new TokenPins(policy, session, records, logins);
 * const result = await pins.verify('12345678');
 * ```
 *
 * @category Cards
 */
export class TokenPins {
  readonly policy: PinPolicy;
  readonly #session: TokenSession;
  readonly #records: RecordKeeper;
  readonly #logins: PinLogins;

  constructor(policy: PinPolicy, session: TokenSession, records: RecordKeeper, logins: PinLogins) {
    this.policy = policy;
    this.#session = session;
    this.#records = records;
    this.#logins = logins;
  }

  /**
   * The PIN's state: the SDK's counter when it counts, else what the token's flags say
   * (`attemptsRemaining: null` when the token cannot tell).
   */
  status(): CardPinStatus {
    const pk = this.#session.pk;
    const flags = this.#session.flags();
    const record = this.#records.record;
    const { maxAttempts, maxSoAttempts } = this.#records.counters;
    const finalTry = (flags & pk.CKF_USER_PIN_FINAL_TRY) !== 0;
    const tokenLocked = (flags & pk.CKF_USER_PIN_LOCKED) !== 0 || this.#logins.lockedSeen;
    const counted = record.attemptsRemaining;
    return {
      attemptsRemaining: counted ?? (tokenLocked ? 0 : finalTry ? 1 : null),
      maxAttempts,
      blocked: counted === 0 || tokenLocked,
      mustChange: record.mustChange || (flags & pk.CKF_USER_PIN_TO_BE_CHANGED) !== 0,
      isDefault: null,
      ...(counted === null && finalTry ? { finalTry: true } : {}),
      unblock: [
        {
          kind: 'puk',
          attemptsRemaining: record.soAttemptsRemaining,
          maxAttempts: maxSoAttempts,
          blocked: record.soAttemptsRemaining === 0 || (flags & pk.CKF_SO_PIN_LOCKED) !== 0,
        },
      ],
    };
  }

  /** Checks the PIN; when right, the token is logged in until logout, reset or removal. */
  async verify(pin: string): Promise<CardPinVerifyResult> {
    assertPinFormat(this.policy, pin, 'PIN');
    const result = await this.#logins.login('user', pin);
    if (result.status !== 'ok') return result as CardPinVerifyResult;
    return { status: 'verified', mustChange: this.status().mustChange };
  }

  /** Replaces the PIN with `C_SetPIN`, after the SDK's policy; a success leaves it logged in. */
  async change(current: string, next: string): Promise<CardPinChangeResult> {
    assertPinFormat(this.policy, current, 'current PIN');
    assertNewPin(this.policy, next, current);
    const result = await this.#logins.login('user', current);
    if (result.status !== 'ok') return result as CardPinChangeResult;
    try {
      this.#session.lib.C_SetPIN(this.#session.open(), current, next);
    } catch (error) {
      const refused = newPinRefused(error);
      if (refused === undefined) throw error;
      this.#session.logout();
      throw refused;
    }
    if (this.#records.record.mustChange) await this.#records.write({ mustChange: false });
    return { status: 'changed' };
  }

  /**
   * Sets a new PIN as the token's security officer: `C_Login` with the SO PIN (the "PUK"),
   * then `C_InitPIN`. Resets the SDK's counter. Admin keys (bytes) are not a PKCS#11 notion.
   */
  async unblock(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<CardPinUnblockResult> {
    const checked = input.options<{ mustChange: boolean }>(options, 'unblockPin options');
    const mustChange = optionalBoolean(checked.mustChange, 'mustChange') ?? false;
    if (credentialKind(credential) !== 'puk') {
      throw new UnblockUnavailableError(
        "A PKCS#11 token is unblocked with its security officer's PIN (a string), not an admin key.",
      );
    }
    if ((credential as string).length === 0) {
      throw new InvalidInputError("The security officer's PIN must not be empty.");
    }
    assertNewPin(this.policy, next, undefined);
    const result = await this.#logins.login('so', credential as string);
    if (result.status !== 'ok') return result as CardPinUnblockResult;
    try {
      this.#session.lib.C_InitPIN(this.#session.open(), next);
    } catch (error) {
      throw newPinRefused(error) ?? error;
    } finally {
      this.#session.logout();
    }
    this.#logins.forgetLock();
    await this.#records.write({
      attemptsRemaining: this.#records.counters.maxAttempts,
      mustChange,
    });
    return { status: 'unblocked' };
  }

  /** Marks the PIN as to be changed before further use (kept in the SDK's record). */
  async requireChange(): Promise<void> {
    this.#session.requirePin();
    await this.#records.write({ mustChange: true });
  }
}
