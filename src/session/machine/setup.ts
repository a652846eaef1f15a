import { assign, setup } from 'xstate';
import type { CardPinStatus, CardPinVerifyResult } from '../../card/contract/pin-results.js';
import { createActors } from './actors.js';
import { cardSession } from './card-session.js';
import { classify } from './failure-notices.js';
import { signInGuards } from './guards.js';
import { failureOf, outputOf, refusedNewPin, unblockWith, wrongPin } from './outcomes.js';
import type {
  AuthenticationOutcome,
  NewPinOutcome,
  Notice,
  SignInContext,
  SignInEvent,
} from './types.js';

/**
 * The sign-in machine's setup: its types, actors, delays, and every guard and action by name,
 * written once for all the states that use them. The actors, the two guards that read the app's
 * options (`noSignInInfoStore`, `hasFixedCard`) and the action that takes the card that is always
 * present (`takeFixedCard`) are stand-ins here: `createSignInMachine` provides them.
 *
 * @category Client
 */
export const signInSetup = setup({
  types: {
    context: {} as SignInContext,
    events: {} as SignInEvent,
  },
  // Stand-ins with the actors' types, built from no options; createSignInMachine provides them.
  actors: { ...createActors({ method: 'smart-card' }), cardSession },
  delays: {
    cardWait: ({ context }) => context.cardWaitTimeoutMs,
    operation: ({ context }) => context.operationTimeoutMs,
  },
  guards: {
    ...signInGuards,
    noSignInInfoStore: () => true,
    hasFixedCard: () => false,
  },
  actions: {
    /** Takes the card that is always present. */
    takeFixedCard: assign({}),

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

    // The sign-in screen.
    takeStoredAddress: assign({
      address: ({ event }) => outputOf<{ address?: string } | undefined>(event)?.address ?? '',
    }),
    takeAddress: assign({
      address: ({ context, event }) =>
        (event.type === 'SIGN_IN' ? (event.address ?? context.address) : context.address).trim(),
    }),
    noteInvalidAddress: assign({
      notice: { key: 'sign-in-address-invalid' } satisfies Notice,
      violations: [],
      error: null,
      refusal: null,
    }),
    forgetAddress: assign({ address: '' }),

    // Password and smart card sign-in.
    takeUser: assign({
      user: ({ event }) => {
        const verdict = outputOf<AuthenticationOutcome>(event);
        return verdict.verified ? verdict.user : null;
      },
    }),
    notePasswordWrong: assign({ notice: { key: 'password-wrong' } satisfies Notice }),
    takeInsertedCard: assign({
      card: ({ context, event }) => (event.type === 'CARD.INSERTED' ? event.card : context.card),
    }),
    noteCardWaitTimedOut: assign({ notice: { key: 'card-wait-timed-out' } satisfies Notice }),
    noteCardBlocked: assign({
      attemptsRemaining: 0,
      unblockWith: ({ event }) => unblockWith(outputOf<CardPinStatus>(event)),
      notice: null,
    }),
    notePinMustChange: assign({
      attemptsRemaining: ({ event }) => outputOf<CardPinStatus>(event).attemptsRemaining,
      notice: ({ event }): Notice => ({
        key:
          outputOf<CardPinStatus>(event).isDefault === true
            ? 'pin-change-default'
            : 'pin-change-required',
      }),
    }),
    takeAttemptsRemaining: assign({
      attemptsRemaining: ({ event }) => outputOf<CardPinStatus>(event).attemptsRemaining,
    }),
    notePinChangeRequired: assign({ notice: { key: 'pin-change-required' } satisfies Notice }),
    noteWrongPin: assign(({ event }) => {
      const result = outputOf<CardPinVerifyResult>(event);
      const remaining = result.status === 'incorrect' ? result.attemptsRemaining : null;
      return { attemptsRemaining: remaining, notice: wrongPin(remaining) };
    }),
    notePinChanged: assign({ notice: { key: 'pin-changed' } satisfies Notice }),
    noteNewPinRefused: assign(({ event }) =>
      refusedNewPin(outputOf<NewPinOutcome>(event), (remaining) => ({
        attemptsRemaining: remaining,
        notice: wrongPin(remaining),
      })),
    ),
    noteUnblocked: assign({
      notice: { key: 'pin-changed' } satisfies Notice,
      attemptsRemaining: null,
    }),
    noteUnblockFailed: assign({ notice: { key: 'unblock-failed' } satisfies Notice }),
    noteUnblockRefused: assign(({ event }) =>
      refusedNewPin(outputOf<NewPinOutcome>(event), () => ({ notice: { key: 'unblock-failed' } })),
    ),
    takeSignedInUser: assign({
      user: ({ event }) => {
        const verdict = outputOf<AuthenticationOutcome>(event);
        return verdict.verified ? verdict.user : null;
      },
      // "Your PIN has been changed" stays until the next thing happens.
      notice: ({ context }) => (context.notice?.key === 'pin-changed' ? context.notice : null),
    }),
    noteCardNotEnrolled: assign({
      notice: { key: 'card-not-enrolled' } satisfies Notice,
      refusal: 'card-not-enrolled',
    }),
    noteSignInRefused: assign({
      notice: { key: 'sign-in-refused' } satisfies Notice,
      refusal: ({ event }) => {
        const verdict = outputOf<AuthenticationOutcome>(event);
        return verdict.verified ? null : verdict.reason;
      },
    }),

    // Signed in.
    openDisplay: assign({ display: 'open', unread: 0 }),
    closeDisplay: assign({ display: 'closed' }),
    countNotification: assign({ unread: ({ context }) => context.unread + 1 }),
    keepSignInInfo: assign({ deleteOnSignOut: false }),
    takeSignOutChoice: assign({
      deleteOnSignOut: ({ event }) => event.type === 'SIGN_OUT' && event.deleteSignInInfo === true,
      notice: null,
    }),
    noteCardRemovedSignedOut: assign({
      deleteOnSignOut: false,
      notice: { key: 'card-removed-signed-out' } satisfies Notice,
    }),
    noteCardRemoved: assign({ notice: { key: 'card-removed' } satisfies Notice }),
    clearCardRemovedNotice: assign({
      notice: ({ context }) => (context.notice?.key === 'card-removed' ? null : context.notice),
    }),
    noteLocked: assign({
      notice: { key: 'card-removed-locked' } satisfies Notice,
      attemptsRemaining: null,
    }),
    noteCardRemovedLocked: assign({ notice: { key: 'card-removed-locked' } satisfies Notice }),
    noteWrongCard: assign({ notice: { key: 'wrong-card' } satisfies Notice }),
    unlock: assign({ notice: null, attemptsRemaining: null }),
    noteCardBlockedSignOut: assign({
      deleteOnSignOut: false,
      notice: { key: 'card-blocked' } satisfies Notice,
    }),

    // Ending.
    /** The session is over: no user; the address kept unless the sign-out deletes it. */
    closeSession: assign(({ context }) => ({
      user: null,
      address: context.deleteOnSignOut ? '' : context.address,
      deleteOnSignOut: false,
    })),
    noteSignOutTimedOut: assign({
      user: null,
      deleteOnSignOut: false,
      notice: { key: 'timed-out' } satisfies Notice,
    }),
    forgetUserAndCard: assign({ user: null, card: null }),
  },
});

/**
 * A state of the sign-in machine, as `signInSetup.createStateConfig` takes it. The groups of
 * states are declared with it, so their declarations stay small.
 *
 * @category Client
 */
export type SignInStateConfig = Parameters<typeof signInSetup.createStateConfig>[0];
