import type { CardPinStatus } from '../../card/contract/pin-results.js';
import type { SmartCard } from '../../card/contract/smart-card.js';
import type { ErrorCode } from '../../errors.js';
import type { Locale } from '../messages/locale.js';
import type { MessageKey, MessageParams } from '../messages/message-keys.js';
import type { RemovalPolicy, ServerVerdict, SessionUser, SignInMethod } from './option-types.js';
import type { Secret } from './secret.js';

/**
 * A message the machine wants shown, as a key and its parameters; `viewSignIn` turns it into
 * text in the machine's locale.
 *
 * @example
 * ```ts
 * import type { Actor } from 'xstate';
 * import type { Notice, SignInMachine } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * const notice: Notice | null = actor.getSnapshot().context.notice;
 * if (notice?.key === 'pin-wrong') {
 *   console.log(`${notice.params.attemptsRemaining} attempts left`); // params typed by the key
 * }
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
 * import type { Actor } from 'xstate';
 * import type { SignInContext, SignInMachine } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * const context: SignInContext = actor.getSnapshot().context;
 * console.log(context.method, context.locale, context.address);
 * if (context.card !== null) console.log(`${context.card.id}: ${context.attemptsRemaining} tries`);
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
 * import type { Actor } from 'xstate';
 * import { type SignInFault, type SignInMachine, viewSignIn } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * actor.subscribe((snapshot) => {
 *   const fault: SignInFault | null = viewSignIn(snapshot).error;
 *   if (fault === null) return;
 *   if (fault.code === 'SERVER_UNAVAILABLE') console.warn('offline: retry later');
 *   else console.error(`${fault.code}: ${fault.message}`); // never holds a PIN
 * });
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
 * import { fromPromise } from 'xstate';
 * import type { SignInMachineOptions } from 'smartcard-2fa/session';
 * import type { NewPinOutcome, SignInActorInput } from 'smartcard-2fa/session';
 * import { createSignInMachine } from 'smartcard-2fa/session';
 *
 * declare const options: SignInMachineOptions;
 * // A test in which the card refuses every new PIN as too short.
 * const changePin = fromPromise<NewPinOutcome, SignInActorInput<'changePin'>>(async () => ({
 *   status: 'policy',
 *   violations: [{ key: 'pin-policy-too-short', params: { limit: 8 } }],
 * }));
 * const machine = createSignInMachine(options).provide({ actors: { changePin } });
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
 * import { fromPromise } from 'xstate';
 * import type { AuthenticationOutcome, SignInMachineOptions } from 'smartcard-2fa/session';
 * import { createSignInMachine, type SignInActorInput } from 'smartcard-2fa/session';
 *
 * declare const options: SignInMachineOptions;
 * // A test server that lets in contoso.com's users only.
 * const authenticate = fromPromise<AuthenticationOutcome, SignInActorInput<'authenticate'>>(
 *   async ({ input }) =>
 *     input.address.endsWith('@contoso.com')
 *       ? { verified: true, user: { address: input.address } }
 *       : { verified: false, reason: 'wrong-user' },
 * );
 * const machine = createSignInMachine(options).provide({ actors: { authenticate } });
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
 * import { fromPromise } from 'xstate';
 * import type { CardReading, SignInMachineOptions } from 'smartcard-2fa/session';
 * import { createSignInMachine, type SignInActorInput } from 'smartcard-2fa/session';
 *
 * declare const options: SignInMachineOptions;
 * // The card's reading, logged before the machine branches on it.
 * const readCard = fromPromise<CardReading, SignInActorInput<'readCard'>>(async ({ input }) => {
 *   if (input.card === null) throw new Error('No card.');
 *   const reading = await input.card.pinStatus();
 *   if (reading.isDefault === true) console.log('First use: the PIN must be changed.');
 *   return reading;
 * });
 * const machine = createSignInMachine(options).provide({ actors: { readCard } });
 * ```
 *
 * @category Client
 */
export type CardReading = CardPinStatus;
