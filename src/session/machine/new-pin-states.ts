import { busyStep, cardStepFailures } from './busy-step.js';
import { signInSetup } from './setup.js';

/**
 * The states of smart card sign-in that set a new PIN: the forced change (current PIN, new PIN,
 * confirmation), the card-blocked screen, and the unblock with the PUK or admin key. Both steps
 * go on to the server with the new PIN once the card took it.
 *
 * @category Client
 */
export const newPinStates = {
  changingPin: signInSetup.createStateConfig({
    initial: 'entry',
    states: {
      entry: {
        meta: { route: 'change-pin', prompt: 'new-pin-prompt' },
        on: { 'PIN.CHANGE': { target: 'changing', actions: 'clearNotice' } },
      },
      changing: busyStep({
        route: 'change-pin',
        prompt: 'new-pin-prompt',
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
              : { card: context.card, current: undefined, next: undefined, confirm: undefined },
          onDone: [
            {
              guard: 'newPinSet',
              target: '#signIn.smartCard.authenticating',
              actions: 'notePinChanged',
            },
            { guard: 'pinBlocked', target: '#signIn.smartCard.readingCard' },
            // The current PIN was wrong, or the new one refused.
            { target: 'entry', actions: 'noteNewPinRefused' },
          ],
          onError: cardStepFailures('entry'),
        },
        timeout: { target: '#signInScreen', actions: 'noteTimeout' },
      }),
    },
  }),

  blocked: signInSetup.createStateConfig({
    meta: { route: 'card-blocked', prompt: 'card-blocked' },
    on: {
      UNBLOCK: { guard: 'canUnblock', target: 'unblocking', actions: 'clearNotice' },
      BACK: { target: '#signInScreen', actions: 'clearNotice' },
    },
  }),

  unblocking: signInSetup.createStateConfig({
    initial: 'entry',
    on: { CANCEL: { target: 'blocked', actions: 'clearNotice' } },
    states: {
      entry: {
        meta: { route: 'unblock', prompt: 'unblock-puk-prompt' },
        on: { 'UNBLOCK.SUBMIT': { target: 'unblocking', actions: 'clearNotice' } },
      },
      unblocking: busyStep({
        route: 'unblock',
        prompt: 'unblock-puk-prompt',
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
              guard: 'newPinSet',
              target: '#signIn.smartCard.authenticating',
              actions: 'noteUnblocked',
            },
            {
              // The credential itself is now blocked: read the card again for what is left.
              guard: 'unblockCredentialBlocked',
              target: '#signIn.smartCard.readingCard',
              actions: 'noteUnblockFailed',
            },
            // The PUK was wrong, or the new PIN refused.
            { target: 'entry', actions: 'noteUnblockRefused' },
          ],
          onError: cardStepFailures('entry'),
        },
        timeout: { target: '#signInScreen', actions: 'noteTimeout' },
      }),
    },
  }),
};
