import { busyStep, cardStepStops } from './busy-step.js';
import { newPinStates } from './new-pin-states.js';
import { pinState } from './pin-states.js';
import { signInSetup } from './setup.js';

/**
 * Smart card sign-in: finding the card (the one always present, or the reader's), reading its
 * PIN state, the PIN, changing or unblocking it ({@link pinState}, {@link newPinStates}), and the
 * signed challenge the server checks. The reader is watched throughout.
 *
 * @category Client
 */
export const cardStates = signInSetup.createStateConfig({
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
        { guard: 'hasFixedCard', target: 'readingCard', actions: 'takeFixedCard' },
        { target: 'waitingForCard' },
      ],
    },
    waitingForCard: {
      meta: { route: 'insert-card', prompt: 'insert-card' },
      on: {
        'CARD.INSERTED': [
          { guard: 'isVirtualCard', target: 'readingCard', actions: 'takeInsertedCard' },
          { target: 'cardDetected', actions: 'takeInsertedCard' },
        ],
      },
      after: { cardWait: { target: '#signInScreen', actions: 'noteCardWaitTimedOut' } },
    },
    cardDetected: {
      meta: { route: 'card-detected', prompt: 'card-detected' },
      on: { OK: { target: 'readingCard', actions: 'clearNotice' } },
    },
    readingCard: busyStep({
      route: 'pin',
      prompt: 'reading-card',
      invoke: {
        id: 'readCard',
        src: 'readCard',
        input: ({ context }) => ({ card: context.card }),
        onDone: [
          { guard: 'cardBlocked', target: 'blocked', actions: 'noteCardBlocked' },
          { guard: 'cardPinMustChange', target: 'changingPin', actions: 'notePinMustChange' },
          { target: 'pin', actions: 'takeAttemptsRemaining' },
        ],
        onError: cardStepStops,
      },
      timeout: { target: '#signInScreen', actions: 'noteTimeout' },
    }),
    pin: pinState,
    ...newPinStates,
    authenticating: busyStep({
      route: 'signing-in',
      prompt: 'signing-in',
      invoke: {
        id: 'authenticate',
        src: 'authenticate',
        input: ({ context }) => ({ card: context.card, address: context.address }),
        onDone: [
          { guard: 'serverVerified', target: '#signIn.signedIn', actions: 'takeSignedInUser' },
          { guard: 'cardNotEnrolled', target: '#signInScreen', actions: 'noteCardNotEnrolled' },
          // Refused: back to the sign-in screen, never round again with the same PIN.
          { target: '#signInScreen', actions: 'noteSignInRefused' },
        ],
        onError: cardStepStops,
      },
      timeout: { target: '#signInScreen', actions: 'noteTimeout' },
    }),
  },
});
