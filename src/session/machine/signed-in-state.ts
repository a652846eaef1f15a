import { and } from 'xstate';
import { busyStep } from './busy-step.js';
import { pinCheckInput } from './pin-states.js';
import { signInSetup } from './setup.js';

/**
 * The locked session (card removal under the `'lock'` policy): waiting for our card, then its
 * PIN. A blocked card, or a failure not worth another try, ends the session.
 *
 * @category Client
 */
const lockedState = signInSetup.createStateConfig({
  initial: 'waitingForCard',
  entry: 'noteLocked',
  // The card out again, also while its PIN is being checked: back to waiting for it.
  // (A check that passes with the card out must not unlock the session.)
  on: {
    'CARD.REMOVED': {
      guard: 'isOurPhysicalCardRemoved',
      target: '.waitingForCard',
      actions: 'noteCardRemovedLocked',
    },
  },
  states: {
    waitingForCard: {
      meta: { route: 'locked', prompt: 'card-removed-locked' },
      on: {
        'CARD.INSERTED': [
          {
            guard: 'isOurCardInserted',
            target: 'entry',
            actions: ['clearNotice', 'takeInsertedCard'],
          },
          { guard: 'isOtherCardInserted', actions: 'noteWrongCard' },
        ],
      },
    },
    entry: {
      meta: { route: 'locked', prompt: 'pin-prompt' },
      on: { 'PIN.SUBMIT': { target: 'verifying', actions: 'clearNotice' } },
    },
    verifying: busyStep({
      route: 'locked',
      prompt: 'pin-prompt',
      invoke: {
        id: 'verifyPin',
        src: 'verifyPin',
        input: pinCheckInput,
        onDone: [
          { guard: 'pinVerified', target: '#signIn.signedIn.active', actions: 'unlock' },
          // A blocked card cannot unlock the session: it ends.
          {
            guard: 'pinBlocked',
            target: '#signIn.signingOut',
            actions: 'noteCardBlockedSignOut',
          },
          { target: 'entry', actions: 'noteWrongPin' },
        ],
        onError: [
          { guard: 'cardWasRemoved', target: 'waitingForCard', actions: 'noteFailure' },
          { guard: 'canRetry', target: 'entry', actions: 'noteFailure' },
          { target: '#signIn.signingOut', actions: ['noteFailure', 'keepSignInInfo'] },
        ],
      },
      timeout: { target: 'entry', actions: 'noteTimeout' },
      on: { CANCEL: { target: 'entry', actions: 'clearNotice' } },
    }),
  },
});

/**
 * Signed in: the session, its display (Close, restore, notifications while closed), Sign out
 * and Exit, and what removing the card does under the removal policy (nothing, lock, sign out).
 * The card is watched throughout; the address is remembered.
 *
 * @category Client
 */
export const signedInState = signInSetup.createStateConfig({
  initial: 'active',
  entry: 'openDisplay',
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
          actions: ['noteFailure', 'keepSignInInfo'],
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
    CLOSE: { guard: 'displayOpen', actions: ['clearNotice', 'closeDisplay'] },
    RESTORE: { guard: 'displayClosed', actions: ['clearNotice', 'openDisplay'] },
    NOTIFICATION: { guard: 'displayClosed', actions: 'countNotification' },
    SIGN_OUT: { target: 'signingOut', actions: 'takeSignOutChoice' },
    EXIT: { target: 'exiting', actions: 'keepSignInInfo' },
  },
  states: {
    active: {
      meta: { route: 'signed-in', prompt: 'signed-in' },
      on: {
        'CARD.REMOVED': [
          { guard: and(['isOurPhysicalCardRemoved', 'removalLocks']), target: 'locked' },
          {
            guard: and(['isOurPhysicalCardRemoved', 'removalSignsOut']),
            target: '#signIn.signingOut',
            actions: 'noteCardRemovedSignedOut',
          },
          { guard: 'isOurPhysicalCardRemoved', actions: 'noteCardRemoved' },
        ],
        // The card is back: the "card removed" notice has served its purpose.
        'CARD.INSERTED': {
          guard: 'isOurCardInserted',
          actions: ['clearCardRemovedNotice', 'takeInsertedCard'],
        },
      },
    },
    locked: lockedState,
  },
});
