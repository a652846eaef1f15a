import { CardRemovedError, InvalidInputError, PinRequiredError } from '../errors.js';
import {
  type Binding,
  CKF_TOKEN_PRESENT,
  CKS_RO_USER_FUNCTIONS,
  CKS_RW_USER_FUNCTIONS,
  ckrOf,
  type Handle,
  isRemoval,
  type Library,
  moduleFault,
} from './binding.js';
import type { TokenMatch } from './options.js';

/** A token in a slot, as `C_GetTokenInfo` describes it.
 *
 * @example
 * ```ts
 * import type { Binding, Library } from './binding.js';
 * import { findTokens } from './token.js';
 *
 * declare const pk: Binding;
 * declare const lib: Library; // the module, loaded and initialised
 * const [token] = findTokens(pk, lib, { label: 'my-token' });
 * console.log(token?.serial);
 * ```
 *
 * @category Cards
 */
export interface Token {
  readonly slot: Handle;
  readonly label: string;
  readonly serial: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly minPinLen: number;
  readonly maxPinLen: number;
}

/** The tokens present in the module's slots that match `label` and `serial`.
 *
 * @example
 * ```ts
 * import type { Binding, Library } from './binding.js';
 * import { findTokens } from './token.js';
 *
 * declare const pk: Binding;
 * declare const lib: Library; // the module, loaded and initialised
 * const tokens = findTokens(pk, lib, { label: 'my-token' });
 * ```
 *
 * @category Cards
 */
export function findTokens(pk: Binding, lib: Library, match: TokenMatch): Token[] {
  const found: Token[] = [];
  for (const slot of lib.C_GetSlotList(true)) {
    let info: ReturnType<Library['C_GetTokenInfo']>;
    try {
      info = lib.C_GetTokenInfo(slot);
    } catch (error) {
      if (isRemoval(error)) continue;
      throw error;
    }
    if ((info.flags & pk.CKF_TOKEN_INITIALIZED) === 0) continue;
    const token: Token = {
      slot,
      label: info.label.trim(),
      serial: info.serialNumber.trim(),
      manufacturer: info.manufacturerID.trim(),
      model: info.model.trim(),
      minPinLen: info.minPinLen,
      maxPinLen: info.maxPinLen,
    };
    if (match.label !== undefined && token.label !== match.label) continue;
    if (match.serial !== undefined && token.serial !== match.serial) continue;
    found.push(token);
  }
  return found;
}

/**
 * The one initialised token present that matches: `CardRemovedError` when there is none,
 * `InvalidInputError` when several match.
 *
 * @example
 * ```ts
 * import type { Binding, Library } from './binding.js';
 * import { findToken } from './token.js';
 *
 * declare const pk: Binding;
 * declare const lib: Library; // the module, loaded and initialised
 * const token = findToken(pk, lib, { serial: '0123456789abcdef' });
 * ```
 *
 * @category Cards
 */
export function findToken(pk: Binding, lib: Library, match: TokenMatch): Token {
  let tokens: Token[];
  try {
    tokens = findTokens(pk, lib, match);
  } catch (error) {
    throw moduleFault(error, 'listing the tokens');
  }
  const [token, other] = tokens;
  if (token === undefined) {
    const which = match.label ?? match.serial;
    throw new CardRemovedError(
      which === undefined
        ? 'No initialised token is present in the module. Insert one and try again.'
        : `No token "${which}" is present in the module. Insert it and try again.`,
    );
  }
  if (other !== undefined) {
    throw new InvalidInputError(
      'Several tokens match: give the label and serial of the one to open.',
    );
  }
  return token;
}

/**
 * The card's token and its one session: whether the token is present (found again when its
 * slot moved), the session opened on demand and closed when the token goes, the login.
 *
 * @example
 * ```ts
 * import type { Binding, Handle, Library } from './binding.js';
 * import { type Token, TokenSession } from './token.js';
 *
 * declare const pk: Binding;
 * declare const lib: Library;
 * declare const token: Token; // findToken(pk, lib, match)
 * declare const handle: Handle; // lib.C_OpenSession(token.slot, flags)
 * const session = new TokenSession(pk, lib, token, handle);
 * session.checkPresent('signing');
 * const loggedIn = session.requirePin();
 * ```
 *
 * @category Cards
 */
export class TokenSession {
  readonly pk: Binding;
  readonly lib: Library;
  #token: Token;
  #session: Handle | undefined;
  #removed = false;

  constructor(pk: Binding, lib: Library, token: Token, session: Handle) {
    this.pk = pk;
    this.lib = lib;
    this.#token = token;
    this.#session = session;
  }

  /** The token as found (again, when its slot moved). */
  get token(): Token {
    return this.#token;
  }

  /** Throws CardRemovedError unless the token is in its slot (found again if its slot moved). */
  checkPresent(what: string): void {
    let present = false;
    try {
      present = (this.lib.C_GetSlotInfo(this.#token.slot).flags & CKF_TOKEN_PRESENT) !== 0;
      if (present) {
        const info = this.lib.C_GetTokenInfo(this.#token.slot);
        present =
          info.label.trim() === this.#token.label &&
          info.serialNumber.trim() === this.#token.serial;
      }
    } catch (error) {
      if (!isRemoval(error)) throw moduleFault(error, what);
    }
    if (!present) {
      const [again] = findTokens(this.pk, this.lib, {
        label: this.#token.label,
        serial: this.#token.serial,
      });
      if (again !== undefined) {
        this.lostToken();
        this.#token = again;
        present = true;
      }
    }
    if (!present || this.#removed) {
      this.lostToken();
      throw new CardRemovedError(
        `The token is not present (while ${what}). Insert it and try again; nothing was changed.`,
      );
    }
  }

  /** The token went away: its sessions (and login) are gone. */
  lostToken(): void {
    if (this.#session !== undefined) {
      try {
        this.lib.C_CloseSession(this.#session);
      } catch {
        // the session died with the token
      }
    }
    this.#session = undefined;
  }

  /** The token was taken out: the session ends, and it is absent until {@link markInserted}. */
  markRemoved(): void {
    this.#removed = true;
    this.lostToken();
  }

  /** The token is back: the next operation opens a new session, not logged in. */
  markInserted(): void {
    this.#removed = false;
  }

  /** The session, opened when there is none. */
  open(): Handle {
    if (this.#session === undefined) {
      this.#session = this.lib.C_OpenSession(
        this.#token.slot,
        this.pk.CKF_SERIAL_SESSION | this.pk.CKF_RW_SESSION,
      );
    }
    return this.#session;
  }

  /** Whether the user is logged in (a PIN verified since insertion, reset or logout). */
  loggedIn(): boolean {
    if (this.#session === undefined) return false;
    const { state } = this.lib.C_GetSessionInfo(this.#session);
    return state === CKS_RW_USER_FUNCTIONS || state === CKS_RO_USER_FUNCTIONS;
  }

  /** `C_Logout`, when there is a session; not logged in already is no failure. */
  logout(): void {
    if (this.#session === undefined) return;
    try {
      this.lib.C_Logout(this.#session);
    } catch (error) {
      if (ckrOf(error) !== 'CKR_USER_NOT_LOGGED_IN') throw error;
    }
  }

  /** The session, logged in; `PinRequiredError` when no PIN was verified. */
  requirePin(): Handle {
    if (!this.loggedIn()) {
      throw new PinRequiredError(
        'Verify the PIN first: this operation uses a private key, and no PIN has been verified since the token was inserted, reset or logged out.',
      );
    }
    return this.open();
  }

  /** The token's flags (`CKF_USER_PIN_LOCKED`, ...). */
  flags(): number {
    return this.lib.C_GetTokenInfo(this.#token.slot).flags;
  }

  /** The mechanisms the token offers. */
  mechanisms(): number[] {
    return this.lib.C_GetMechanismList(this.#token.slot);
  }
}
