import { PinPolicyError } from '../errors.js';
import { ckrOf } from './binding.js';
import type { RecordKeeper } from './record-keeper.js';
import type { TokenSession } from './token.js';

/** What a refused `C_Login` (or `C_SetPIN`, `C_InitPIN`) means, by its CKR. */
type LoginFailure = 'incorrect' | 'locked' | 'refused';

/**
 * The one table of what a token's answer to a PIN means, for the user PIN and the security
 * officer's alike: a wrong PIN; a locked PIN; a PIN the token never compared (its length or
 * characters refused). Any other CKR is the module's failure, and the PIN may have been compared.
 */
const LOGIN_FAILURES: Readonly<Record<string, LoginFailure>> = {
  CKR_PIN_INCORRECT: 'incorrect',
  CKR_PIN_LOCKED: 'locked',
  CKR_PIN_LEN_RANGE: 'refused',
  CKR_PIN_INVALID: 'refused',
};

function failureOf(error: unknown): { ckr: string; failure: LoginFailure } | undefined {
  const ckr = ckrOf(error);
  const failure = ckr === undefined ? undefined : LOGIN_FAILURES[ckr];
  return ckr === undefined || failure === undefined ? undefined : { ckr, failure };
}

/**
 * `PinPolicyError` when the token refused a new PIN's length or characters (`C_SetPIN`,
 * `C_InitPIN`), else `undefined`.
 *
 * @example
 * ```ts
 * import type { Handle, Library } from './binding.js';
 * import { newPinRefused } from './pin-login.js';
 *
 * declare const lib: Library;
 * declare const session: Handle; // logged in
 * declare const current: string;
 * declare const next: string;
 * try {
 *   lib.C_SetPIN(session, current, next);
 * } catch (error) {
 *   throw newPinRefused(error) ?? error;
 * }
 * ```
 *
 * @category Cards
 */
export function newPinRefused(error: unknown): PinPolicyError | undefined {
  const found = failureOf(error);
  if (found?.failure !== 'refused') return undefined;
  return new PinPolicyError(`The token refused the new PIN (${found.ckr}).`, [
    { code: 'token-refused', message: `The token refused the new PIN (${found.ckr}).` },
  ]);
}

/** Whose PIN a login checks: the user's or the security officer's (the "PUK").
 *
 * @example
 * ```ts
 * import type { PinRole } from './pin-login.js';
 *
 * const role: PinRole = 'so';
 * ```
 *
 * @category Cards
 */
export type PinRole = 'user' | 'so';

/** What a login answers (a refused or failed one throws).
 *
 * @example
 * ```ts
 * import type { LoginOutcome, PinLogins } from './pin-login.js';
 *
 * declare const logins: PinLogins;
 * const outcome: LoginOutcome = await logins.login('user', '12345678');
 * ```
 *
 * @category Cards
 */
export type LoginOutcome =
  | { readonly status: 'ok' }
  | { readonly status: 'incorrect'; readonly attemptsRemaining: number | null }
  | { readonly status: 'blocked' };

/**
 * `C_Login` with the user's or the security officer's PIN, behind the SDK's counter for it,
 * and what the token's answer means (one table for both).
 *
 * @example
 * ```ts
 * import { PinLogins } from './pin-login.js';
 * import type { RecordKeeper } from './record-keeper.js';
 * import type { TokenSession } from './token.js';
 *
 * declare const session: TokenSession;
 * declare const records: RecordKeeper;
 * const logins = new PinLogins(session, records);
 * const outcome = await logins.login('user', '12345678');
 * ```
 *
 * @category Cards
 */
export class PinLogins {
  readonly #session: TokenSession;
  readonly #records: RecordKeeper;
  /**
   * The token answered CKR_PIN_LOCKED and no PIN was verified since: a token that locks without
   * a flag saying so (the TPM) is blocked until its owner resets it, which this card cannot see.
   */
  #lockedSeen = false;

  constructor(session: TokenSession, records: RecordKeeper) {
    this.#session = session;
    this.#records = records;
  }

  /** Whether the token answered CKR_PIN_LOCKED since a PIN last verified (or a reset). */
  get lockedSeen(): boolean {
    return this.#lockedSeen;
  }

  /** Forgets a CKR_PIN_LOCKED seen: the PIN was unblocked, the card reset or inserted again. */
  forgetLock(): void {
    this.#lockedSeen = false;
  }

  /**
   * Spends one attempt of the SDK's counter for `role` (written first: a token losing power
   * mid-check gives no free try), then logs in with `C_Login`. The count is the one on the token
   * (or in the store) now, not the one this object saw last: several card objects or processes
   * share it. A right PIN restores the count; a PIN the token never compared gives the attempt
   * back and throws `PinPolicyError`; any other failure keeps it spent and throws.
   */
  async login(role: PinRole, pin: string): Promise<LoginOutcome> {
    const counter = role === 'user' ? 'attemptsRemaining' : 'soAttemptsRemaining';
    const { maxAttempts, maxSoAttempts } = this.#records.counters;
    const max = role === 'user' ? maxAttempts : maxSoAttempts;
    let blocked = false;
    const spent = await this.#records.update((record) => {
      const now = record[counter];
      if (max === null || now === null) return undefined;
      if (now === 0) {
        blocked = true;
        return undefined;
      }
      return { [counter]: now - 1 };
    });
    if (blocked) return { status: 'blocked' };
    const left = max === null ? null : spent[counter];
    const { pk, lib } = this.#session;
    const session = this.#session.open();
    this.#session.logout();
    try {
      lib.C_Login(session, role === 'user' ? pk.CKU_USER : pk.CKU_SO, pin);
    } catch (error) {
      const found = failureOf(error);
      if (found?.failure === 'incorrect') {
        if (left === 0) return { status: 'blocked' };
        // The token's "final try" flag is the user PIN's; the SO's count is the SDK's only.
        const final = role === 'user' && (this.#session.flags() & pk.CKF_USER_PIN_FINAL_TRY) !== 0;
        return { status: 'incorrect', attemptsRemaining: left ?? (final ? 1 : null) };
      }
      if (found?.failure === 'locked') {
        // Also for the SO PIN: a token whose lockout is its whole own (the TPM's dictionary-
        // attack lockout) answers CKR_PIN_LOCKED to the security officer only when it refuses
        // every PIN, the user's included, and it sets no flag saying so: the user PIN is
        // blocked too, and reported so, until a PIN verifies or the card is reset.
        this.#lockedSeen = true;
        return { status: 'blocked' };
      }
      if (found?.failure === 'refused') {
        // The token never compared the PIN: the attempt is given back (others' kept).
        if (left !== null) await this.#giveBack(counter, max);
        const name = role === 'user' ? 'PIN' : "security officer's PIN";
        throw new PinPolicyError(
          `The token refused the ${name}'s length or characters (${found.ckr}).`,
          [{ code: 'token-refused', message: `The token refused the ${name} (${found.ckr}).` }],
        );
      }
      // Any other failure: the token may have compared the PIN, the attempt stays spent.
      throw error;
    }
    // The user PIN verified: it is not blocked. The SO's login alone does not unblock the
    // user PIN (C_InitPIN, after it, does).
    if (role === 'user') this.#lockedSeen = false;
    if (left !== null) await this.#records.write({ [counter]: max });
    return { status: 'ok' };
  }

  /** Gives back one attempt of a counter, on the current count (up to its maximum). */
  async #giveBack(
    counter: 'attemptsRemaining' | 'soAttemptsRemaining',
    max: number | null,
  ): Promise<void> {
    if (max === null) return;
    await this.#records.update((record) => {
      const now = record[counter];
      return now === null || now >= max ? undefined : { [counter]: now + 1 };
    });
  }
}
