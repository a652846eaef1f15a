import type { SmartCard } from '../../card/contract/smart-card.js';
import type { SignInChallenge, SignInResponse } from '../../challenge/types.js';
import type { PinPolicy } from '../../pin/policy.js';
import type { Locale } from '../messages/locale.js';
import type { SignInInfoStore } from '../sign-in-info/store.js';

/**
 * How the organisation has people sign in: with an address and password, or with a smart card
 * and its PIN.
 *
 * @example
 * ```ts
 * import { SimulatedReader } from 'smartcard-2fa/card';
 * import { createSignInMachine, type SignInMethod } from 'smartcard-2fa/session';
 * import type { SignInServer } from 'smartcard-2fa/session';
 *
 * declare const server: SignInServer;
 * declare const smartCardRequired: boolean; // the organisation's policy
 * const method: SignInMethod = smartCardRequired ? 'smart-card' : 'password';
 * const machine =
 *   method === 'smart-card'
 *     ? createSignInMachine({ method, reader: new SimulatedReader(), server })
 *     : createSignInMachine({ method, verifyPassword: async () => ({ verified: false }) });
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
 * import { createActor } from 'xstate';
 * import { SimulatedReader } from 'smartcard-2fa/card';
 * import { createSignInMachine, type RemovalPolicy } from 'smartcard-2fa/session';
 * import type { SignInServer } from 'smartcard-2fa/session';
 *
 * declare const server: SignInServer;
 * declare const sharedKiosk: boolean;
 * const removal: RemovalPolicy = sharedKiosk ? 'sign-out' : 'lock';
 * const reader = new SimulatedReader();
 * const machine = createSignInMachine({ method: 'smart-card', reader, server, removal });
 * const actor = createActor(machine).start();
 * // Once signed in, reader.remove() shows 'locked' (lock) or 'sign-in' (sign-out).
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
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { type CardSource, createSignInMachine, type SignInServer } from 'smartcard-2fa/session';
 *
 * declare const server: SignInServer;
 * // Cards your own code finds (a platform API, say), as the machine watches them.
 * const inserted = new Set<(card: SmartCard) => void>();
 * const source: CardSource = {
 *   card: null, // none at the start: the machine waits for 'inserted'
 *   on: (type, listener) => {
 *     if (type === 'inserted') inserted.add(listener);
 *     return () => inserted.delete(listener);
 *   },
 * };
 * const machine = createSignInMachine({ method: 'smart-card', reader: source, server });
 * export const cardFound = (card: SmartCard) => {
 *   for (const listener of inserted) listener(card);
 * };
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
 * import type { Actor } from 'xstate';
 * import { type SessionUser, type SignInMachine, viewSignIn } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * declare const greeting: HTMLElement;
 * actor.subscribe((snapshot) => {
 *   const user: SessionUser | null = viewSignIn(snapshot).user;
 *   greeting.textContent = user === null ? '' : `Signed in as ${user.name ?? user.address}`;
 * });
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
 * import type { ServerVerdict, SignInServer } from 'smartcard-2fa/session';
 *
 * declare const challenge: SignInServer['challenge'];
 * declare const toJson: (response: Parameters<SignInServer['verify']>[0]) => string;
 * // A client that posts the card's answer to the app's server, which runs an Authenticator.
 * const server: SignInServer = {
 *   challenge,
 *   async verify(response, options) {
 *     const body = toJson(response);
 *     const signal = options?.signal ?? null;
 *     const answer = await fetch('/sign-in/verify', { method: 'POST', body, signal });
 *     const verdict = (await answer.json()) as ServerVerdict;
 *     if (!verdict.verified) console.warn(`sign-in refused: ${verdict.reason}`);
 *     return verdict;
 *   },
 * };
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
 * import { SimulatedReader } from 'smartcard-2fa/card';
 * import { Authenticator } from 'smartcard-2fa/server';
 * import { createSignInMachine, type SignInServer } from 'smartcard-2fa/session';
 *
 * declare const rootCa: Uint8Array; // the trust anchor's certificate, DER
 * const rpId = 'intranet.contoso.com';
 * // In one process (a kiosk, a test) the Authenticator is the server; elsewhere, a client of one.
 * const server: SignInServer = new Authenticator({ trustAnchors: [rootCa], rpId });
 * const reader = new SimulatedReader();
 * const machine = createSignInMachine({ method: 'smart-card', reader, server, rpId });
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
 * import { createSignInMachine, type PasswordVerifier } from 'smartcard-2fa/session';
 *
 * const verifyPassword: PasswordVerifier = async ({ address, password }, { signal }) => {
 *   const body = JSON.stringify({ address, password }); // to the app's own server only
 *   const answer = await fetch('/sign-in/password', { method: 'POST', body, signal });
 *   return answer.ok ? { verified: true, user: { address } } : { verified: false };
 * };
 * const machine = createSignInMachine({ method: 'password', verifyPassword });
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
