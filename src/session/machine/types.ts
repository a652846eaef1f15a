import type { CardPinStatus } from '../../card/pin-results.js';
import type { SmartCard } from '../../card/types.js';
import type { ErrorCode } from '../../errors.js';
import type { PinPolicy } from '../../pin/policy.js';
import type { SignInChallenge, SignInResponse } from '../authenticator/types.js';
import type { MessageKey, MessageParams } from '../messages/keys.js';
import type { Locale } from '../messages/locale.js';
import type { SignInInfoStore } from '../sign-in-info/store.js';
import type { Secret } from './secret.js';

/**
 * How the organisation has people sign in: with an address and password, or with a smart card
 * and its PIN.
 *
 * @example
 * ```ts
 * import type { SignInMethod } from 'smartcard-2fa/session';
 *
 * const method: SignInMethod = 'smart-card';
 * ```
 *
 * @category Client
 */
export type SignInMethod = 'password' | 'smart-card';

/**
 * What happens when the smart card is removed while its holder is signed in, as in Windows'
 * "Interactive logon: Smart card removal behavior" policy: nothing (`'no-action'`, the Windows
 * default), lock the session until the card is back and its PIN typed (`'lock'`), or sign out
 * (`'sign-out'`). A virtual card is never removed.
 *
 * @example
 * ```ts
 * import type { RemovalPolicy } from 'smartcard-2fa/session';
 *
 * const removal: RemovalPolicy = 'lock';
 * ```
 *
 * @category Client
 */
export type RemovalPolicy = 'no-action' | 'lock' | 'sign-out';

/**
 * Where cards come from: a reader (`SimulatedReader`, a PKCS#11 slot watcher, ...). Only the
 * current card and the insert/remove events are used.
 *
 * @example
 * ```ts
 * import { SimulatedReader } from 'smartcard-2fa/card';
 * import type { CardSource } from 'smartcard-2fa/session';
 *
 * const source: CardSource = new SimulatedReader();
 * ```
 *
 * @category Client
 */
export interface CardSource {
  /** The card in the reader now, or `null`. */
  readonly card: SmartCard | null;
  /** Subscribes to insertions and removals; returns the unsubscribe function. */
  on(type: 'inserted' | 'removed', listener: (card: SmartCard) => void): () => void;
}

/**
 * The signed-in user as the machine keeps it: at least the address. The server's user object is
 * kept whole, so an `Authenticator`'s `SignedInUser` arrives with its name, UPN and e-mail.
 *
 * @example
 * ```ts
 * import type { SessionUser } from 'smartcard-2fa/session';
 *
 * const user: SessionUser = { address: 'alice@example.com', name: 'Alice' };
 * ```
 *
 * @category Client
 */
export interface SessionUser {
  /** The sign-in address the user signed in with. */
  readonly address: string;
  /**
   * A name for the user, when the server gives one. An `Authenticator` gives the certificate name
   * that matched the address (the UPN or the e-mail address), not a display name.
   */
  readonly name?: string;
}

/**
 * The server's answer to a signed challenge: an `Authenticator`'s `VerifyResult` fits.
 *
 * @example
 * ```ts
 * import type { ServerVerdict } from 'smartcard-2fa/session';
 *
 * const refused: ServerVerdict = { verified: false, reason: 'wrong-user' };
 * ```
 *
 * @category Client
 */
export type ServerVerdict =
  | { readonly verified: true; readonly user: SessionUser }
  | { readonly verified: false; readonly reason: string };

/**
 * The sign-in server, as the machine needs it: an `Authenticator` in the same process, or a small
 * client that posts to one. The `signal` aborts when the user cancels or the step times out.
 *
 * @example
 * ```ts
 * import { Authenticator } from 'smartcard-2fa/session';
 * import type { SignInServer } from 'smartcard-2fa/session';
 *
 * declare const authenticator: Authenticator;
 * const server: SignInServer = authenticator;
 * ```
 *
 * @category Client
 */
export interface SignInServer {
  /** A fresh, single-use challenge for the address. */
  challenge(
    request: { readonly address: string },
    options?: { readonly signal?: AbortSignal },
  ): Promise<SignInChallenge>;
  /** Checks the card's answer. */
  verify(
    response: SignInResponse,
    options?: { readonly signal?: AbortSignal },
  ): Promise<ServerVerdict>;
}

/**
 * Checks an address and password where the organisation allows password sign-in. The password is
 * handed over as a string only here, to the app's own code.
 *
 * @example
 * ```ts
 * import type { PasswordVerifier } from 'smartcard-2fa/session';
 *
 * const verifyPassword: PasswordVerifier = async ({ address, password }) =>
 *   password === 'correct horse' ? { verified: true, user: { address } } : { verified: false };
 * ```
 *
 * @category Client
 */
export type PasswordVerifier = (
  request: { readonly address: string; readonly password: string },
  options: { readonly signal: AbortSignal },
) => Promise<
  { readonly verified: true; readonly user: SessionUser } | { readonly verified: false }
>;

/**
 * The options of {@link createSignInMachine}: the organisation's policy and the parts the machine
 * talks to. Everything the machine does to the outside world goes through these, as XState actors
 * an app or a test can replace with `machine.provide({ actors })`.
 *
 * @example
 * ```ts
 * import { MemorySignInInfoStore } from 'smartcard-2fa/session';
 * import type { SignInMachineOptions, SignInServer } from 'smartcard-2fa/session';
 * import { SimulatedReader } from 'smartcard-2fa/card';
 *
 * declare const server: SignInServer;
 * const options: SignInMachineOptions = {
 *   method: 'smart-card',
 *   reader: new SimulatedReader(),
 *   server,
 *   signInInfo: new MemorySignInInfoStore(),
 *   removal: 'lock',
 *   locale: 'ko-KR',
 * };
 * ```
 *
 * @category Client
 */
export interface SignInMachineOptions {
  /** Password or smart card sign-in. */
  readonly method: SignInMethod;
  /** The language of prompts: `'en'` (default), `'ko-KR'` or `'zh-TW'`. */
  readonly locale?: Locale;
  /** Where the sign-in address is remembered between runs; none by default. */
  readonly signInInfo?: SignInInfoStore;
  /** Remember the address after a successful sign-in (default `true` when there is a store). */
  readonly rememberAddress?: boolean;
  /** Password sign-in: checks the address and password. */
  readonly verifyPassword?: PasswordVerifier;
  /** Smart card sign-in with physical cards: the reader to watch. */
  readonly reader?: CardSource;
  /** Smart card sign-in with a card that is always present: a virtual card bound to this device. */
  readonly card?: SmartCard;
  /** Smart card sign-in: the server that issues and checks challenges. */
  readonly server?: SignInServer;
  /** The relying party id both sides sign under (see `signChallenge`). */
  readonly rpId?: string;
  /** The key container whose certificate signs in; by default the first one with a certificate. */
  readonly container?: string;
  /** Checked before a new PIN reaches the card; the card applies its own policy in any case. */
  readonly pinPolicy?: PinPolicy;
  /** What card removal does while signed in; `'no-action'` by default, as in Windows. */
  readonly removal?: RemovalPolicy;
  /** Called when a session ends by sign out or exit, e.g. to tell the server. */
  readonly endSession?: (
    user: SessionUser,
    options: { readonly signal: AbortSignal },
  ) => Promise<void>;
  /** How long to wait for a card to be inserted, in ms (default 120 000). */
  readonly cardWaitTimeoutMs?: number;
  /** How long any one card or server step may take before it is stopped, in ms (default 60 000). */
  readonly operationTimeoutMs?: number;
}

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
