import { and, assign, setup } from 'xstate';
import type { CardPinStatus } from '../../card/pin-results.js';
import { InvalidInputError } from '../../errors.js';
import { checkAddress } from '../authenticator/input.js';
import { checkRpId } from '../authenticator/message.js';
import { isLocale } from '../messages/locale.js';
import { cardSession, createActors } from './actors.js';
import { classify } from './notices.js';
import type {
  NewPinOutcome,
  Notice,
  RemovalPolicy,
  SignInContext,
  SignInEvent,
  SignInMachineOptions,
} from './types.js';

const REMOVAL_POLICIES: readonly RemovalPolicy[] = ['no-action', 'lock', 'sign-out'];
const DEFAULT_CARD_WAIT_MS = 120_000;
const DEFAULT_OPERATION_MS = 60_000;

/**
 * Whether `address` is acceptable as a sign-in address: the same rule the `Authenticator` applies
 * (an e-mail-like `name@domain` in ASCII, local part of at most 64 characters, at most 254 in all;
 * surrounding spaces are ignored), so the machine never asks for a PIN for an address the server
 * would refuse to issue a challenge for.
 *
 * @example
 * ```ts
 * import { isSignInAddress } from 'smartcard-2fa/session';
 *
 * isSignInAddress('alice@example.com'); // true
 * isSignInAddress('alice'); // false
 * ```
 *
 * @category Client
 */
export function isSignInAddress(address: unknown): address is string {
  try {
    checkAddress(address);
    return true;
  } catch {
    return false;
  }
}

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidInputError(`createSignInMachine: ${name} must be a positive integer (ms).`);
  }
  return value;
}

function checkOptions(options: SignInMachineOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('createSignInMachine takes an options object.');
  }
  if (options.method === 'password') {
    if (typeof options.verifyPassword !== 'function') {
      throw new InvalidInputError('createSignInMachine: password sign-in needs verifyPassword.');
    }
  } else if (options.method === 'smart-card') {
    if ((options.reader === undefined) === (options.card === undefined)) {
      throw new InvalidInputError(
        'createSignInMachine: smart card sign-in needs exactly one of reader (physical cards) or card (a card that is always present, such as a virtual card).',
      );
    }
    if (
      typeof options.server?.challenge !== 'function' ||
      typeof options.server.verify !== 'function'
    ) {
      throw new InvalidInputError(
        'createSignInMachine: smart card sign-in needs server ({ challenge, verify }).',
      );
    }
  } else {
    throw new InvalidInputError("createSignInMachine: method must be 'password' or 'smart-card'.");
  }
  if (options.rpId !== undefined) checkRpId(options.rpId, 'createSignInMachine');
  if (options.locale !== undefined && !isLocale(options.locale)) {
    throw new InvalidInputError("createSignInMachine: locale must be 'en', 'ko-KR' or 'zh-TW'.");
  }
  if (options.removal !== undefined && !REMOVAL_POLICIES.includes(options.removal)) {
    throw new InvalidInputError(
      "createSignInMachine: removal must be 'no-action', 'lock' or 'sign-out'.",
    );
  }
}

/** The error a failed step's event carries (`xstate.error.actor.*`); other events carry none. */
function failureOf(event: { readonly type: string }): unknown {
  return (event as { readonly error?: unknown }).error;
}

/**
 * Where a failed card step goes: a removed card back to waiting for one; a failure worth another
 * try (a TPM lockout, a PIN the card's policy refuses) back to the step's form, `retryTarget`;
 * anything else to the sign-in screen. The failure is noted in every case.
 */
function cardStepFailures(retryTarget: string) {
  return [
    {
      guard: 'cardWasRemoved' as const,
      target: '#signIn.smartCard.waitingForCard',
      actions: ['forgetCard' as const, 'noteFailure' as const],
    },
    { guard: 'canRetry' as const, target: retryTarget, actions: 'noteFailure' as const },
    { target: '#signInScreen', actions: 'noteFailure' as const },
  ];
}

/**
 * What a refused new PIN shows: the confirmation did not match, or the rules it broke, or (the
 * credential was wrong) what `wrongCredential` says, given the attempts left when the card said.
 */
function refusedNewPin(
  outcome: NewPinOutcome,
  wrongCredential: (attemptsRemaining: number | null) => Partial<SignInContext>,
): Partial<SignInContext> {
  if (outcome.status === 'mismatch') return { notice: { key: 'pin-mismatch' } };
  if (outcome.status === 'policy') {
    return { notice: outcome.violations[0] ?? { key: 'error' }, violations: outcome.violations };
  }
  return wrongCredential(outcome.status === 'incorrect' ? outcome.attemptsRemaining : null);
}

/** The first unblock credential of a blocked card that is not blocked itself. */
function unblockWith(status: CardPinStatus): SignInContext['unblockWith'] {
  return status.unblock.find((u) => !u.blocked)?.kind ?? null;
}

/** The notice of a wrong PIN, with the attempts left when the card says. */
function wrongPin(attemptsRemaining: number | null): Notice {
  if (attemptsRemaining === null) return { key: 'pin-wrong-unknown-attempts' };
  if (attemptsRemaining === 1) return { key: 'pin-last-attempt' };
  return { key: 'pin-wrong', params: { attemptsRemaining } };
}

/**
 * Creates the sign-in machine: every flow of the Lync / Skype for Business client's sign-in
 * (password sign-in; smart card sign-in with a physical or a virtual card, PIN, wrong PIN, blocked
 * card and unblock, forced PIN change; Close, Sign out with "Delete my sign-in information", Exit;
 * card removal while signed in) as one XState v5 machine.
 *
 * The machine is a pure protocol. Everything it does to the outside world is an actor built from
 * `options` (`loadSignInInfo`, `watchCard`, `readCard`, `verifyPin`, `changePin`, `unblockPin`,
 * `authenticate`, `verifyPassword`, `rememberSignIn`, `deleteSignInInfo`, `endSession`) and can
 * be replaced with `machine.provide({ actors })`; time runs on XState's clock. PINs, PUKs and
 * passwords arrive in events as {@link Secret}s, are read once by the step that uses them, and
 * are never in context, snapshots or inspection events.
 *
 * Read it through `viewSignIn(snapshot)`, which gives the stable facade (`route`, `status`,
 * `prompt`, `notice`, `attemptsRemaining`, `display`, `can(event)`); state names are not API.
 *
 * @throws `InvalidInputError` for options that do not fit the method.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { createSignInMachine, Secret, viewSignIn } from 'smartcard-2fa/session';
 * import type { SignInServer } from 'smartcard-2fa/session';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard; // a virtual card, say
 * declare const server: SignInServer;
 *
 * const actor = createActor(createSignInMachine({ method: 'smart-card', card, server }));
 * actor.subscribe((snapshot) => console.log(viewSignIn(snapshot).route));
 * actor.start();
 * actor.send({ type: 'SIGN_IN', address: 'alice@example.com' });
 * actor.send({ type: 'PIN.SUBMIT', pin: Secret.from('k7#Lm2pQ') });
 * ```
 *
 * @category Client
 */
export function createSignInMachine(options: SignInMachineOptions): SignInMachine {
  checkOptions(options);
  return buildMachine(options);
}

/** The machine definition behind {@link createSignInMachine}; options already checked. */
function buildMachine(options: SignInMachineOptions) {
  const fixedCard = options.card ?? null;
  const initialContext: SignInContext = {
    method: options.method,
    removal: options.removal ?? 'no-action',
    locale: options.locale ?? 'en',
    address: '',
    card: null,
    attemptsRemaining: null,
    unblockWith: null,
    notice: null,
    violations: [],
    error: null,
    refusal: null,
    user: null,
    display: 'open',
    unread: 0,
    deleteOnSignOut: false,
    cardWaitTimeoutMs: positiveMs(
      options.cardWaitTimeoutMs,
      DEFAULT_CARD_WAIT_MS,
      'cardWaitTimeoutMs',
    ),
    operationTimeoutMs: positiveMs(
      options.operationTimeoutMs,
      DEFAULT_OPERATION_MS,
      'operationTimeoutMs',
    ),
  };

  return setup({
    types: {
      context: {} as SignInContext,
      events: {} as SignInEvent,
    },
    actors: { ...createActors(options), cardSession },
    delays: {
      cardWait: ({ context }) => context.cardWaitTimeoutMs,
      operation: ({ context }) => context.operationTimeoutMs,
    },
    guards: {
      usesPassword: ({ context }) => context.method === 'password',
      noSignInInfoStore: () => options.signInInfo === undefined,
      hasFixedCard: () => fixedCard !== null,
      validAddress: ({ context, event }) =>
        event.type === 'SIGN_IN' && isSignInAddress(event.address ?? context.address),
      isVirtualCard: ({ event }) => event.type === 'CARD.INSERTED' && event.card.kind === 'virtual',
      isOurPhysicalCardRemoved: ({ context, event }) =>
        event.type === 'CARD.REMOVED' &&
        context.card !== null &&
        context.card.kind === 'physical' &&
        event.cardId === context.card.id,
      isOurCardInserted: ({ context, event }) =>
        event.type === 'CARD.INSERTED' &&
        context.card !== null &&
        event.card.id === context.card.id,
      isOtherCardInserted: ({ context, event }) =>
        event.type === 'CARD.INSERTED' &&
        context.card !== null &&
        event.card.id !== context.card.id,
      removalLocks: ({ context }) => context.removal === 'lock',
      removalSignsOut: ({ context }) => context.removal === 'sign-out',
      displayClosed: ({ context }) => context.display === 'closed',
      displayOpen: ({ context }) => context.display === 'open',
      canUnblock: ({ context }) => context.unblockWith !== null,
      cardWasRemoved: ({ event }) => classify(failureOf(event)).kind === 'card-removed',
      canRetry: ({ event }) => classify(failureOf(event)).kind === 'retry',
    },
    actions: {
      /** Logs the card out and forgets it; nothing is awaited, a failure changes nothing. */
      releaseCard: ({ context }) => {
        context.card?.logout().catch(() => undefined);
      },
      clearNotice: assign({ notice: null, violations: [], error: null, refusal: null }),
      forgetCard: assign({ card: null, attemptsRemaining: null, unblockWith: null }),
      noteCancelled: assign({ notice: { key: 'cancelled' } satisfies Notice }),
      noteTimeout: assign({ notice: { key: 'timed-out' } satisfies Notice }),
      noteFailure: assign(({ event }) => {
        const failure = classify(failureOf(event));
        return { notice: failure.notice, violations: failure.violations, error: failure.error };
      }),
    },
  }).createMachine({
    id: 'signIn',
    context: initialContext,
    initial: 'starting',
    // Lives as long as the actor: stopping it (actor.stop()) logs out the card it holds.
    invoke: { id: 'cardSession', src: 'cardSession' },
    states: {
      starting: {
        always: { guard: 'noSignInInfoStore', target: 'signInScreen' },
        tags: 'busy',
        meta: { route: 'sign-in', prompt: 'sign-in-address-prompt' },
        invoke: {
          id: 'loadSignInInfo',
          src: 'loadSignInInfo',
          onDone: {
            target: 'signInScreen',
            actions: assign({ address: ({ event }) => event.output?.address ?? '' }),
          },
          // Unreadable stored information is as good as none: start with an empty address.
          onError: { target: 'signInScreen' },
        },
        after: { operation: { target: 'signInScreen' } },
        on: { CANCEL: { target: 'signInScreen' } },
      },

      signInScreen: {
        id: 'signInScreen',
        meta: { route: 'sign-in', prompt: 'sign-in-address-prompt' },
        entry: ['releaseCard', 'forgetCard'],
        on: {
          SIGN_IN: [
            {
              guard: 'validAddress',
              actions: [
                'clearNotice',
                assign({
                  address: ({ context, event }) => (event.address ?? context.address).trim(),
                }),
              ],
              target: 'choosingMethod',
            },
            {
              actions: assign({
                notice: { key: 'sign-in-address-invalid' } satisfies Notice,
                violations: [],
                error: null,
                refusal: null,
              }),
            },
          ],
          DELETE_SIGN_IN_INFO: { target: 'deletingSignInInfo', actions: 'clearNotice' },
          EXIT: { target: 'exited' },
        },
      },

      choosingMethod: {
        always: [{ guard: 'usesPassword', target: 'password' }, { target: 'smartCard' }],
      },

      deletingSignInInfo: {
        tags: 'busy',
        meta: { route: 'sign-in', prompt: 'delete-sign-in-info-effect' },
        invoke: {
          id: 'deleteSignInInfo',
          src: 'deleteSignInInfo',
          onDone: { target: 'signInScreen', actions: assign({ address: '' }) },
          onError: { target: 'signInScreen', actions: 'noteFailure' },
        },
        on: { CANCEL: { target: 'signInScreen', actions: 'noteCancelled' } },
        after: {
          operation: { target: 'signInScreen', actions: 'noteTimeout' },
        },
      },

      password: {
        initial: 'entry',
        on: { CANCEL: { target: 'signInScreen', actions: 'noteCancelled' } },
        states: {
          entry: {
            meta: { route: 'password', prompt: 'password-prompt' },
            on: { 'PASSWORD.SUBMIT': { target: 'verifying', actions: 'clearNotice' } },
          },
          verifying: {
            tags: 'busy',
            meta: { route: 'password', prompt: 'signing-in' },
            invoke: {
              id: 'verifyPassword',
              src: 'verifyPassword',
              input: ({ context, event }) => ({
                address: context.address,
                password: event.type === 'PASSWORD.SUBMIT' ? event.password : undefined,
              }),
              onDone: [
                {
                  guard: ({ event }) => event.output.verified,
                  target: '#signIn.signedIn',
                  actions: assign({
                    user: ({ event }) => (event.output.verified ? event.output.user : null),
                  }),
                },
                { target: 'entry', actions: assign({ notice: { key: 'password-wrong' } }) },
              ],
              onError: { target: '#signInScreen', actions: 'noteFailure' },
            },
            after: {
              operation: {
                target: '#signInScreen',
                actions: 'noteTimeout',
              },
            },
          },
        },
      },

      smartCard: {
        initial: 'findingCard',
        invoke: {
          id: 'watchCard',
          src: 'watchCard',
          input: { cardId: null },
          // A reader that cannot be watched: nothing to sign in with.
          onError: { target: 'signInScreen', actions: 'noteFailure' },
        },
        on: {
          CANCEL: { target: 'signInScreen', actions: 'noteCancelled' },
          'CARD.REMOVED': {
            guard: 'isOurPhysicalCardRemoved',
            target: '.waitingForCard',
            actions: ['forgetCard', 'clearNotice'],
          },
        },
        states: {
          findingCard: {
            always: [
              {
                guard: 'hasFixedCard',
                target: 'readingCard',
                actions: assign({ card: () => fixedCard }),
              },
              { target: 'waitingForCard' },
            ],
          },
          waitingForCard: {
            meta: { route: 'insert-card', prompt: 'insert-card' },
            on: {
              'CARD.INSERTED': [
                {
                  guard: 'isVirtualCard',
                  target: 'readingCard',
                  actions: assign({ card: ({ event }) => event.card }),
                },
                { target: 'cardDetected', actions: assign({ card: ({ event }) => event.card }) },
              ],
            },
            after: {
              cardWait: {
                target: '#signInScreen',
                actions: assign({ notice: { key: 'card-wait-timed-out' } }),
              },
            },
          },
          cardDetected: {
            meta: { route: 'card-detected', prompt: 'card-detected' },
            on: { OK: { target: 'readingCard', actions: 'clearNotice' } },
          },
          readingCard: {
            tags: 'busy',
            meta: { route: 'pin', prompt: 'reading-card' },
            invoke: {
              id: 'readCard',
              src: 'readCard',
              input: ({ context }) => ({ card: context.card }),
              onDone: [
                {
                  guard: ({ event }) => event.output.blocked,
                  target: 'blocked',
                  actions: assign({
                    attemptsRemaining: 0,
                    unblockWith: ({ event }) => unblockWith(event.output),
                    notice: null,
                  }),
                },
                {
                  guard: ({ event }) => event.output.mustChange,
                  target: 'changingPin',
                  actions: assign({
                    attemptsRemaining: ({ event }) => event.output.attemptsRemaining,
                    notice: ({ event }): Notice => ({
                      key:
                        event.output.isDefault === true
                          ? 'pin-change-default'
                          : 'pin-change-required',
                    }),
                  }),
                },
                {
                  target: 'pin',
                  actions: assign({
                    attemptsRemaining: ({ event }) => event.output.attemptsRemaining,
                  }),
                },
              ],
              onError: [
                {
                  guard: 'cardWasRemoved',
                  target: 'waitingForCard',
                  actions: ['forgetCard', 'noteFailure'],
                },
                { target: '#signInScreen', actions: 'noteFailure' },
              ],
            },
            after: {
              operation: {
                target: '#signInScreen',
                actions: 'noteTimeout',
              },
            },
          },
          pin: {
            initial: 'entry',
            states: {
              entry: {
                meta: { route: 'pin', prompt: 'pin-prompt' },
                on: { 'PIN.SUBMIT': { target: 'verifying', actions: 'clearNotice' } },
              },
              verifying: {
                tags: 'busy',
                meta: { route: 'pin', prompt: 'pin-prompt' },
                invoke: {
                  id: 'verifyPin',
                  src: 'verifyPin',
                  input: ({ context, event }) => ({
                    card: context.card,
                    pin: event.type === 'PIN.SUBMIT' ? event.pin : undefined,
                  }),
                  onDone: [
                    {
                      guard: ({ event }) =>
                        event.output.status === 'verified' && event.output.mustChange,
                      target: '#signIn.smartCard.changingPin',
                      actions: assign({ notice: { key: 'pin-change-required' } }),
                    },
                    {
                      guard: ({ event }) => event.output.status === 'verified',
                      target: '#signIn.smartCard.authenticating',
                    },
                    {
                      guard: ({ event }) => event.output.status === 'blocked',
                      target: '#signIn.smartCard.readingCard',
                    },
                    {
                      target: 'entry',
                      actions: assign(({ event }) => {
                        const remaining =
                          event.output.status === 'incorrect'
                            ? event.output.attemptsRemaining
                            : null;
                        return { attemptsRemaining: remaining, notice: wrongPin(remaining) };
                      }),
                    },
                  ],
                  onError: cardStepFailures('entry'),
                },
                after: {
                  operation: {
                    target: '#signInScreen',
                    actions: 'noteTimeout',
                  },
                },
              },
            },
          },
          changingPin: {
            initial: 'entry',
            states: {
              entry: {
                meta: { route: 'change-pin', prompt: 'new-pin-prompt' },
                on: { 'PIN.CHANGE': { target: 'changing', actions: 'clearNotice' } },
              },
              changing: {
                tags: 'busy',
                meta: { route: 'change-pin', prompt: 'new-pin-prompt' },
                invoke: {
                  id: 'changePin',
                  src: 'changePin',
                  input: ({ context, event }) =>
                    event.type === 'PIN.CHANGE'
                      ? {
                          card: context.card,
                          current: event.current,
                          next: event.next,
                          confirm: event.confirm,
                        }
                      : {
                          card: context.card,
                          current: undefined,
                          next: undefined,
                          confirm: undefined,
                        },
                  onDone: [
                    {
                      guard: ({ event }) => event.output.status === 'done',
                      target: '#signIn.smartCard.authenticating',
                      actions: assign({ notice: { key: 'pin-changed' } }),
                    },
                    {
                      guard: ({ event }) => event.output.status === 'blocked',
                      target: '#signIn.smartCard.readingCard',
                    },
                    {
                      target: 'entry',
                      // The current PIN was wrong, or the new one refused.
                      actions: assign(({ event }) =>
                        refusedNewPin(event.output, (remaining) => ({
                          attemptsRemaining: remaining,
                          notice: wrongPin(remaining),
                        })),
                      ),
                    },
                  ],
                  onError: cardStepFailures('entry'),
                },
                after: {
                  operation: {
                    target: '#signInScreen',
                    actions: 'noteTimeout',
                  },
                },
              },
            },
          },
          blocked: {
            meta: { route: 'card-blocked', prompt: 'card-blocked' },
            on: {
              UNBLOCK: { guard: 'canUnblock', target: 'unblocking', actions: 'clearNotice' },
              BACK: { target: '#signInScreen', actions: 'clearNotice' },
            },
          },
          unblocking: {
            initial: 'entry',
            on: { CANCEL: { target: 'blocked', actions: 'clearNotice' } },
            states: {
              entry: {
                meta: { route: 'unblock', prompt: 'unblock-puk-prompt' },
                on: { 'UNBLOCK.SUBMIT': { target: 'unblocking', actions: 'clearNotice' } },
              },
              unblocking: {
                tags: 'busy',
                meta: { route: 'unblock', prompt: 'unblock-puk-prompt' },
                invoke: {
                  id: 'unblockPin',
                  src: 'unblockPin',
                  input: ({ context, event }) =>
                    event.type === 'UNBLOCK.SUBMIT'
                      ? {
                          card: context.card,
                          kind: context.unblockWith,
                          credential: event.credential,
                          next: event.next,
                          confirm: event.confirm,
                        }
                      : {
                          card: context.card,
                          kind: context.unblockWith,
                          credential: undefined,
                          next: undefined,
                          confirm: undefined,
                        },
                  onDone: [
                    {
                      guard: ({ event }) => event.output.status === 'done',
                      target: '#signIn.smartCard.authenticating',
                      actions: assign({ notice: { key: 'pin-changed' }, attemptsRemaining: null }),
                    },
                    {
                      // The credential itself is now blocked: read the card again for what is left.
                      guard: ({ event }) => event.output.status === 'blocked',
                      target: '#signIn.smartCard.readingCard',
                      actions: assign({ notice: { key: 'unblock-failed' } }),
                    },
                    {
                      target: 'entry',
                      // The PUK was wrong, or the new PIN refused.
                      actions: assign(({ event }) =>
                        refusedNewPin(event.output, () => ({ notice: { key: 'unblock-failed' } })),
                      ),
                    },
                  ],
                  onError: cardStepFailures('entry'),
                },
                after: {
                  operation: {
                    target: '#signInScreen',
                    actions: 'noteTimeout',
                  },
                },
              },
            },
          },
          authenticating: {
            tags: 'busy',
            meta: { route: 'signing-in', prompt: 'signing-in' },
            invoke: {
              id: 'authenticate',
              src: 'authenticate',
              input: ({ context }) => ({ card: context.card, address: context.address }),
              onDone: [
                {
                  guard: ({ event }) => event.output.verified,
                  target: '#signIn.signedIn',
                  actions: assign({
                    user: ({ event }) => (event.output.verified ? event.output.user : null),
                    // "Your PIN has been changed" stays until the next thing happens.
                    notice: ({ context }) =>
                      context.notice?.key === 'pin-changed' ? context.notice : null,
                  }),
                },
                {
                  guard: ({ event }) =>
                    !event.output.verified && event.output.reason === 'card-not-enrolled',
                  target: '#signInScreen',
                  actions: assign({
                    notice: { key: 'card-not-enrolled' },
                    refusal: 'card-not-enrolled',
                  }),
                },
                {
                  // Refused: back to the sign-in screen, never round again with the same PIN.
                  target: '#signInScreen',
                  actions: assign({
                    notice: { key: 'sign-in-refused' },
                    refusal: ({ event }) => (event.output.verified ? null : event.output.reason),
                  }),
                },
              ],
              onError: [
                {
                  guard: 'cardWasRemoved',
                  target: 'waitingForCard',
                  actions: ['forgetCard', 'noteFailure'],
                },
                { target: '#signInScreen', actions: 'noteFailure' },
              ],
            },
            after: {
              operation: {
                target: '#signInScreen',
                actions: 'noteTimeout',
              },
            },
          },
        },
      },

      signedIn: {
        initial: 'active',
        entry: assign({ display: 'open', unread: 0 }),
        invoke: [
          {
            id: 'watchCard',
            src: 'watchCard',
            input: ({ context }) => ({ cardId: context.card?.id ?? null }),
            // The card can no longer be watched: fail closed, as if it had been removed.
            onError: [
              { guard: 'removalLocks', target: '.locked', actions: 'noteFailure' },
              {
                guard: 'removalSignsOut',
                target: 'signingOut',
                actions: ['noteFailure', assign({ deleteOnSignOut: false })],
              },
              { actions: 'noteFailure' },
            ],
          },
          {
            id: 'rememberSignIn',
            src: 'rememberSignIn',
            input: ({ context }) => ({ address: context.address }),
            // Not remembering the address is no reason to end a session.
            onError: { actions: 'noteFailure' },
          },
        ],
        on: {
          CLOSE: { guard: 'displayOpen', actions: ['clearNotice', assign({ display: 'closed' })] },
          RESTORE: {
            guard: 'displayClosed',
            actions: ['clearNotice', assign({ display: 'open', unread: 0 })],
          },
          NOTIFICATION: {
            guard: 'displayClosed',
            actions: assign({ unread: ({ context }) => context.unread + 1 }),
          },
          SIGN_OUT: {
            target: 'signingOut',
            actions: assign({
              deleteOnSignOut: ({ event }) => event.deleteSignInInfo === true,
              notice: null,
            }),
          },
          EXIT: { target: 'exiting', actions: assign({ deleteOnSignOut: false }) },
        },
        states: {
          active: {
            meta: { route: 'signed-in', prompt: 'signed-in' },
            on: {
              'CARD.REMOVED': [
                {
                  guard: and(['isOurPhysicalCardRemoved', 'removalLocks']),
                  target: 'locked',
                },
                {
                  guard: and(['isOurPhysicalCardRemoved', 'removalSignsOut']),
                  target: '#signIn.signingOut',
                  actions: assign({
                    deleteOnSignOut: false,
                    notice: { key: 'card-removed-signed-out' },
                  }),
                },
                {
                  guard: 'isOurPhysicalCardRemoved',
                  actions: assign({ notice: { key: 'card-removed' } }),
                },
              ],
              // The card is back: the "card removed" notice has served its purpose.
              'CARD.INSERTED': {
                guard: 'isOurCardInserted',
                actions: assign({
                  notice: ({ context }) =>
                    context.notice?.key === 'card-removed' ? null : context.notice,
                }),
              },
            },
          },
          locked: {
            initial: 'waitingForCard',
            entry: assign({ notice: { key: 'card-removed-locked' }, attemptsRemaining: null }),
            // The card out again, also while its PIN is being checked: back to waiting for it.
            // (A check that passes with the card out must not unlock the session.)
            on: {
              'CARD.REMOVED': {
                guard: 'isOurPhysicalCardRemoved',
                target: '.waitingForCard',
                actions: assign({ notice: { key: 'card-removed-locked' } }),
              },
            },
            states: {
              waitingForCard: {
                meta: { route: 'locked', prompt: 'card-removed-locked' },
                on: {
                  'CARD.INSERTED': [
                    { guard: 'isOurCardInserted', target: 'entry', actions: 'clearNotice' },
                    {
                      guard: 'isOtherCardInserted',
                      actions: assign({ notice: { key: 'wrong-card' } }),
                    },
                  ],
                },
              },
              entry: {
                meta: { route: 'locked', prompt: 'pin-prompt' },
                on: {
                  'PIN.SUBMIT': { target: 'verifying', actions: 'clearNotice' },
                },
              },
              verifying: {
                tags: 'busy',
                meta: { route: 'locked', prompt: 'pin-prompt' },
                invoke: {
                  id: 'verifyPin',
                  src: 'verifyPin',
                  input: ({ context, event }) => ({
                    card: context.card,
                    pin: event.type === 'PIN.SUBMIT' ? event.pin : undefined,
                  }),
                  onDone: [
                    {
                      guard: ({ event }) => event.output.status === 'verified',
                      target: '#signIn.signedIn.active',
                      actions: assign({ notice: null, attemptsRemaining: null }),
                    },
                    {
                      // A blocked card cannot unlock the session: it ends.
                      guard: ({ event }) => event.output.status === 'blocked',
                      target: '#signIn.signingOut',
                      actions: assign({ deleteOnSignOut: false, notice: { key: 'card-blocked' } }),
                    },
                    {
                      target: 'entry',
                      actions: assign(({ event }) => {
                        const remaining =
                          event.output.status === 'incorrect'
                            ? event.output.attemptsRemaining
                            : null;
                        return { attemptsRemaining: remaining, notice: wrongPin(remaining) };
                      }),
                    },
                  ],
                  onError: [
                    {
                      guard: 'cardWasRemoved',
                      target: 'waitingForCard',
                      actions: 'noteFailure',
                    },
                    {
                      guard: 'canRetry',
                      target: 'entry',
                      actions: 'noteFailure',
                    },
                    {
                      target: '#signIn.signingOut',
                      actions: ['noteFailure', assign({ deleteOnSignOut: false })],
                    },
                  ],
                },
                on: { CANCEL: { target: 'entry', actions: 'clearNotice' } },
                after: {
                  operation: { target: 'entry', actions: 'noteTimeout' },
                },
              },
            },
          },
        },
      },

      signingOut: {
        tags: 'busy',
        meta: { route: 'signing-out', prompt: 'sign-out-effect' },
        invoke: {
          id: 'endSession',
          src: 'endSession',
          input: ({ context }) => ({
            user: context.user,
            deleteSignInInfo: context.deleteOnSignOut,
          }),
          onDone: {
            target: 'signInScreen',
            actions: assign(({ context }) => ({
              user: null,
              address: context.deleteOnSignOut ? '' : context.address,
              deleteOnSignOut: false,
            })),
          },
          // The session is over here whatever the server said; the failure is shown.
          onError: {
            target: 'signInScreen',
            actions: [
              'noteFailure',
              assign(({ context }) => ({
                user: null,
                address: context.deleteOnSignOut ? '' : context.address,
                deleteOnSignOut: false,
              })),
            ],
          },
        },
        after: {
          operation: {
            target: 'signInScreen',
            actions: assign({ user: null, deleteOnSignOut: false, notice: { key: 'timed-out' } }),
          },
        },
      },

      exiting: {
        tags: 'busy',
        meta: { route: 'exiting', prompt: 'exit-effect' },
        invoke: {
          id: 'endSession',
          src: 'endSession',
          input: ({ context }) => ({ user: context.user, deleteSignInInfo: false }),
          onDone: { target: 'exited' },
          onError: { target: 'exited', actions: 'noteFailure' },
        },
        after: { operation: { target: 'exited' } },
      },

      exited: {
        type: 'final',
        meta: { route: 'exited', prompt: 'exit-effect' },
        entry: ['releaseCard', assign({ user: null, card: null })],
      },
    },
  });
}

/**
 * The type of the machine {@link createSignInMachine} returns.
 *
 * @example
 * ```ts
 * import type { SignInMachine } from 'smartcard-2fa/session';
 *
 * declare const machine: SignInMachine;
 * machine.id; // 'signIn'
 * ```
 *
 * @category Client
 */
export type SignInMachine = ReturnType<typeof buildMachine>;
