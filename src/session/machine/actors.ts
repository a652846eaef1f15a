import { type EventObject, fromCallback, fromPromise, type InputFrom } from 'xstate';
import type { CardPinStatus, CardPinVerifyResult } from '../../card/contract/pin-results.js';
import type { SmartCard } from '../../card/contract/smart-card.js';
import { InvalidInputError, ServerUnavailableError, SmartCardError } from '../../errors.js';
import { signChallenge } from '../sign-challenge.js';
import type { SignInInfo } from '../sign-in-info/store.js';
import {
  checkNewPin,
  credentialBytes,
  newPinOutcome,
  takeAll,
  withCardPolicy,
} from './new-pin-checks.js';
import type { CardSource, SessionUser, SignInMachineOptions } from './option-types.js';
import { type Secret, takeSecret } from './secret.js';
import type { AuthenticationOutcome, NewPinOutcome } from './types.js';

/** The card a step works on; a step started without one is a bug in the machine. */
function need(card: SmartCard | null): SmartCard {
  if (card === null) {
    throw new InvalidInputError('The sign-in machine reached a card step without a card.');
  }
  return card;
}

/** The source of cards: the reader, or the card that is always present. */
function cardSource(options: SignInMachineOptions): CardSource | undefined {
  if (options.reader !== undefined) return options.reader;
  const card = options.card;
  if (card === undefined) return undefined;
  return { card, on: () => () => undefined };
}

/** The container whose certificate signs in. */
async function signInContainer(
  card: SmartCard,
  wanted: string | undefined,
): Promise<string | null> {
  const containers = await card.containers();
  const usable = containers.filter((c) => c.hasCertificate);
  if (wanted !== undefined) return usable.some((c) => c.name === wanted) ? wanted : null;
  return usable[0]?.name ?? null;
}

/** Calls the server; a non-SDK error it throws becomes a {@link ServerUnavailableError}. */
async function callServer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (SmartCardError.is(error)) throw error;
    throw new ServerUnavailableError('The sign-in server could not be reached.', { cause: error });
  }
}

/**
 * The machine's actors, built from the options. Each one is the only place the machine touches
 * the outside world; tests and apps replace any of them with `machine.provide({ actors })`.
 *
 * @category Client
 */
export function createActors(options: SignInMachineOptions) {
  const store = options.signInInfo;
  const remember = options.rememberAddress ?? store !== undefined;
  // Store calls run one after another, in the order the machine made them: a save still running
  // when the user signs out and deletes the information cannot land after the delete.
  let storeTail: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(call: () => Promise<T>): Promise<T> => {
    const result = storeTail.then(call, call);
    storeTail = result.catch(() => undefined);
    return result;
  };
  return {
    /** Reads the stored sign-in information. */
    loadSignInInfo: fromPromise<SignInInfo | undefined>(async () =>
      store === undefined ? undefined : inOrder(() => store.load()),
    ),

    /** Deletes the stored sign-in information. */
    deleteSignInInfo: fromPromise<void>(async () => {
      if (store !== undefined) await inOrder(() => store.delete());
    }),

    /** Remembers the address after a successful sign-in. */
    rememberSignIn: fromPromise<void, { readonly address: string }>(async ({ input }) => {
      if (remember && store !== undefined) {
        await inOrder(() => store.save({ address: input.address }));
      }
    }),

    /** Checks an address and password. */
    verifyPassword: fromPromise<
      { readonly verified: true; readonly user: SessionUser } | { readonly verified: false },
      { readonly address: string; readonly password: Secret | undefined }
    >(async ({ input, signal }) => {
      const password = takeSecret(input.password, 'PASSWORD.SUBMIT password');
      const verify = options.verifyPassword;
      if (verify === undefined) {
        throw new InvalidInputError('Password sign-in needs the verifyPassword option.');
      }
      return callServer(() => verify({ address: input.address, password }, { signal }));
    }),

    /**
     * Watches the reader. On start it reports what is there: the card present (CARD.INSERTED),
     * or, when the machine had a card, that it is gone (CARD.REMOVED).
     */
    watchCard: fromCallback<EventObject, { readonly cardId: string | null }>(
      ({ sendBack, input }) => {
        const source = cardSource(options);
        if (source === undefined) return undefined;
        const present = source.card;
        if (input.cardId !== null && present?.id !== input.cardId) {
          sendBack({ type: 'CARD.REMOVED', cardId: input.cardId });
        }
        if (present !== null) sendBack({ type: 'CARD.INSERTED', card: present });
        const offInserted = source.on('inserted', (card) =>
          sendBack({ type: 'CARD.INSERTED', card }),
        );
        const offRemoved = source.on('removed', (card) =>
          sendBack({ type: 'CARD.REMOVED', cardId: card.id }),
        );
        return () => {
          offInserted();
          offRemoved();
        };
      },
    ),

    /** Reads the card's PIN state, spending nothing. */
    readCard: fromPromise<CardPinStatus, { readonly card: SmartCard | null }>(async ({ input }) =>
      need(input.card).pinStatus(),
    ),

    /** Verifies a PIN on the card. */
    verifyPin: fromPromise<
      CardPinVerifyResult,
      { readonly card: SmartCard | null; readonly pin: Secret | undefined }
    >(async ({ input }) => {
      const card = need(input.card);
      const pin = takeSecret(input.pin, 'PIN.SUBMIT pin');
      return card.verifyPin(pin);
    }),

    /** Changes the PIN (current → next, confirmed), then signs the card in with the new one. */
    changePin: fromPromise<
      NewPinOutcome,
      {
        readonly card: SmartCard | null;
        readonly current: Secret | undefined;
        readonly next: Secret | undefined;
        readonly confirm: Secret | undefined;
      }
    >(async ({ input }) => {
      const card = need(input.card);
      const { current, next, confirm } = takeAll(
        { current: input.current, next: input.next, confirm: input.confirm },
        'PIN.CHANGE',
      );
      if (next !== confirm) return { status: 'mismatch' };
      const refused = checkNewPin(options, next, current);
      if (refused !== null) return refused;
      return withCardPolicy(async () => {
        const changed = await card.changePin(current, next);
        const outcome = newPinOutcome(changed);
        if (outcome !== null) return outcome;
        return newPinOutcome(await card.verifyPin(next)) ?? { status: 'done' };
      });
    }),

    /** Unblocks the card with its PUK or admin key and a new PIN, then signs the card in. */
    unblockPin: fromPromise<
      NewPinOutcome,
      {
        readonly card: SmartCard | null;
        readonly kind: 'puk' | 'admin-key' | null;
        readonly credential: Secret | undefined;
        readonly next: Secret | undefined;
        readonly confirm: Secret | undefined;
      }
    >(async ({ input }) => {
      const card = need(input.card);
      const { credential, next, confirm } = takeAll(
        { credential: input.credential, next: input.next, confirm: input.confirm },
        'UNBLOCK.SUBMIT',
      );
      if (next !== confirm) return { status: 'mismatch' };
      const refused = checkNewPin(options, next, undefined);
      if (refused !== null) return refused;
      return withCardPolicy(async () => {
        // The holder typed the new PIN: it is chosen, not to be changed again (an admin key
        // alone would leave it must-change).
        const unblocked = await card.unblockPin(
          credentialBytes(input.kind ?? 'puk', credential),
          next,
          { mustChange: false },
        );
        const outcome = newPinOutcome(unblocked);
        if (outcome !== null) return outcome;
        return newPinOutcome(await card.verifyPin(next)) ?? { status: 'done' };
      });
    }),

    /** Asks the server for a challenge, signs it on the card and sends the answer back. */
    authenticate: fromPromise<
      AuthenticationOutcome,
      { readonly card: SmartCard | null; readonly address: string }
    >(async ({ input, signal }) => {
      const card = need(input.card);
      const server = options.server;
      if (server === undefined) {
        throw new InvalidInputError('Smart card sign-in needs the server option.');
      }
      const container = await signInContainer(card, options.container);
      if (container === null) return { verified: false, reason: 'card-not-enrolled' };
      const challenge = await callServer(() =>
        server.challenge({ address: input.address }, { signal }),
      );
      signal.throwIfAborted();
      const response = await signChallenge(
        card,
        container,
        challenge,
        options.rpId === undefined ? {} : { rpId: options.rpId },
      );
      signal.throwIfAborted();
      return callServer(() => server.verify(response, { signal }));
    }),

    /** Ends the session: tells the app, then deletes the stored sign-in information if asked. */
    endSession: fromPromise<
      void,
      { readonly user: SessionUser | null; readonly deleteSignInInfo: boolean }
    >(async ({ input, signal }) => {
      try {
        if (input.user !== null) await options.endSession?.(input.user, { signal });
      } finally {
        if (input.deleteSignInInfo && store !== undefined) await inOrder(() => store.delete());
      }
    }),
  };
}

/**
 * The actors of the sign-in machine, by name: what `machine.provide({ actors })` replaces.
 *
 * @example
 * ```ts
 * import { fromPromise } from 'xstate';
 * import type { SignInActors, SignInMachineOptions } from 'smartcard-2fa/session';
 * import { createSignInMachine } from 'smartcard-2fa/session';
 *
 * declare const options: SignInMachineOptions;
 * // A demo that never reaches the server: every sign-in is let in.
 * const replacements: Partial<SignInActors> = {
 *   authenticate: fromPromise(async ({ input }) => ({
 *     verified: true,
 *     user: { address: input.address },
 *   })),
 * };
 * const machine = createSignInMachine(options).provide({ actors: replacements });
 * ```
 *
 * @category Client
 */
export type SignInActors = ReturnType<typeof createActors>;

/**
 * The input the machine gives one of its actors, for writing a replacement with the right type.
 *
 * @example
 * ```ts
 * import { fromPromise } from 'xstate';
 * import type { AuthenticationOutcome, SignInActorInput } from 'smartcard-2fa/session';
 *
 * const authenticate = fromPromise<AuthenticationOutcome, SignInActorInput<'authenticate'>>(
 *   async ({ input }) => ({ verified: true, user: { address: input.address } }),
 * );
 * ```
 *
 * @category Client
 */
export type SignInActorInput<K extends keyof SignInActors> = InputFrom<SignInActors[K]>;
