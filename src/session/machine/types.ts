import type { CardPinStatus } from '../../card/contract/pin-results.js';
import type { SmartCard } from '../../card/contract/smart-card.js';
import type { ErrorCode } from '../../errors.js';
import type { MessageKey, MessageParams } from '../messages/keys.js';
import type { Locale } from '../messages/locale.js';
import type { RemovalPolicy, ServerVerdict, SessionUser, SignInMethod } from './option-types.js';
import type { Secret } from './secret.js';

/**
 * A message the machine wants shown, as a key and its parameters; `viewSignIn` turns it into
 * text in the machine's locale.
 *
 * @example
 * ```ts
 * import type { Notice } from 'smartcard-2fa/session';
 *
 * const notice: Notice = { key: 'pin-wrong', params: { attemptsRemaining: 2 } };
 * ```
 *
 * @category Client
 */
export type Notice = {
  [K in MessageKey]: K extends keyof MessageParams
    ? { readonly key: K; readonly params: MessageParams[K] }
    : { readonly key: K; readonly params?: undefined };
}[MessageKey];

/**
 * The sign-in machine's context. Apps read it through `viewSignIn`; it never holds a PIN, PUK or
 * password.
 *
 * @example
 * ```ts
 * import type { SignInContext } from 'smartcard-2fa/session';
 *
 * const signedIn = (context: SignInContext) => context.user !== null;
 * ```
 *
 * @category Client
 */
export interface SignInContext {
  /** Password or smart card sign-in. */
  readonly method: SignInMethod;
  /** What card removal does while signed in. */
  readonly removal: RemovalPolicy;
  /** The language of prompts. */
  readonly locale: Locale;
  /** The sign-in address: pre-filled from stored sign-in information, then what the user typed. */
  readonly address: string;
  /** The card being used, once one was detected. */
  readonly card: SmartCard | null;
  /** PIN attempts left, when the card said; `null` when unknown or not asked yet. */
  readonly attemptsRemaining: number | null;
  /** The credential that unblocks this card, when it is blocked and has one. */
  readonly unblockWith: 'puk' | 'admin-key' | null;
  /** What just happened (a wrong PIN, a refusal, an error), or `null`. */
  readonly notice: Notice | null;
  /** The rules a new PIN broke, one notice each. */
  readonly violations: readonly Notice[];
  /** The last fault, by code and message (never containing a secret), or `null`. */
  readonly error: SignInFault | null;
  /** The server's reason for refusing the last sign-in, or `null`. */
  readonly refusal: string | null;
  /** The signed-in user, or `null`. */
  readonly user: SessionUser | null;
  /** Whether the signed-in window is shown (`'open'`) or closed to the background (`'closed'`). */
  readonly display: 'open' | 'closed';
  /** Notifications that arrived while the display was closed. */
  readonly unread: number;
  /** Whether the sign-out under way also deletes the stored sign-in information. */
  readonly deleteOnSignOut: boolean;
  /** The card wait timeout, in ms. */
  readonly cardWaitTimeoutMs: number;
  /** The per-step timeout, in ms. */
  readonly operationTimeoutMs: number;
}

/**
 * A step's failure as the machine keeps it: an SDK error's code, `SERVER_UNAVAILABLE` for a
 * server or network failure, `UNKNOWN` for anything else; and a message that never holds a
 * secret (foreign errors' messages are not kept, only their names).
 *
 * @example
 * ```ts
 * import type { SignInFault } from 'smartcard-2fa/session';
 *
 * const fault: SignInFault = { code: 'SERVER_UNAVAILABLE', message: 'The sign-in server could not be reached.' };
 * ```
 *
 * @category Client
 */
export interface SignInFault {
  /** What failed. */
  readonly code: ErrorCode | 'SERVER_UNAVAILABLE' | 'UNKNOWN';
  /** For people and logs. */
  readonly message: string;
}

/**
 * Every event an app (or the machine's own actors) can send. Secrets travel as {@link Secret},
 * never as strings.
 *
 * @example
 * ```ts
 * import { Secret } from 'smartcard-2fa/session';
 * import type { SignInEvent } from 'smartcard-2fa/session';
 *
 * const events: SignInEvent[] = [
 *   { type: 'SIGN_IN', address: 'alice@example.com' },
 *   { type: 'PIN.SUBMIT', pin: Secret.from('k7#Lm2pQ') },
 * ];
 * ```
 *
 * @category Client
 */
export type SignInEvent =
  /** Sign In, with the address typed (or the pre-filled one when absent). */
  | { readonly type: 'SIGN_IN'; readonly address?: string }
  /** "Delete my sign-in information" on the sign-in screen. */
  | { readonly type: 'DELETE_SIGN_IN_INFO' }
  /** The password, on the password screen. */
  | { readonly type: 'PASSWORD.SUBMIT'; readonly password: Secret }
  /** A card appeared in the reader (sent by the card watcher). */
  | { readonly type: 'CARD.INSERTED'; readonly card: SmartCard }
  /** A card left the reader (sent by the card watcher). */
  | { readonly type: 'CARD.REMOVED'; readonly cardId: string }
  /** OK, once the card was detected. */
  | { readonly type: 'OK' }
  /** The PIN, on the PIN screen (also to unlock a locked session). */
  | { readonly type: 'PIN.SUBMIT'; readonly pin: Secret }
  /** Current PIN, new PIN and its confirmation, on the change-PIN screen. */
  | {
      readonly type: 'PIN.CHANGE';
      readonly current: Secret;
      readonly next: Secret;
      readonly confirm: Secret;
    }
  /** Unblock, on the card-blocked screen. */
  | { readonly type: 'UNBLOCK' }
  /** The PUK (or the admin key in hex), the new PIN and its confirmation. */
  | {
      readonly type: 'UNBLOCK.SUBMIT';
      readonly credential: Secret;
      readonly next: Secret;
      readonly confirm: Secret;
    }
  /** Back to the sign-in screen, from the card-blocked screen. */
  | { readonly type: 'BACK' }
  /** Cancel, from any prompt or step before sign-in. */
  | { readonly type: 'CANCEL' }
  /** Close the signed-in display; the session goes on. */
  | { readonly type: 'CLOSE' }
  /** Show the signed-in display again. */
  | { readonly type: 'RESTORE' }
  /** A notification for the signed-in user. */
  | { readonly type: 'NOTIFICATION' }
  /** Sign out, optionally deleting the stored sign-in information. */
  | { readonly type: 'SIGN_OUT'; readonly deleteSignInInfo?: boolean }
  /** Exit: end the session and stop. */
  | { readonly type: 'EXIT' };

/**
 * The outcome of the change-PIN and unblock steps, as their actors report it.
 *
 * @example
 * ```ts
 * import type { NewPinOutcome } from 'smartcard-2fa/session';
 *
 * const outcome: NewPinOutcome = { status: 'mismatch' };
 * ```
 *
 * @category Client
 */
export type NewPinOutcome =
  | { readonly status: 'done' }
  | { readonly status: 'mismatch' }
  | { readonly status: 'policy'; readonly violations: readonly Notice[] }
  | { readonly status: 'incorrect'; readonly attemptsRemaining: number | null }
  | { readonly status: 'blocked' };

/**
 * What the authentication step reports: the server's verdict, or that the card holds no
 * certificate to sign in with.
 *
 * @example
 * ```ts
 * import type { AuthenticationOutcome } from 'smartcard-2fa/session';
 *
 * const outcome: AuthenticationOutcome = { verified: false, reason: 'card-not-enrolled' };
 * ```
 *
 * @category Client
 */
export type AuthenticationOutcome = ServerVerdict;

/**
 * The card state the reading step reports: the card's PIN status.
 *
 * @example
 * ```ts
 * import type { CardReading } from 'smartcard-2fa/session';
 *
 * const mustChange = (reading: CardReading) => reading.isDefault === true || reading.mustChange;
 * ```
 *
 * @category Client
 */
export type CardReading = CardPinStatus;
