import { busyStep, cardStepFailures } from './busy-step.js';
import { signInSetup } from './setup.js';
import type { SignInContext, SignInEvent } from './types.js';

/**
 * What the card's PIN check is given: the card, and the PIN of the `PIN.SUBMIT` that started it.
 * The PIN screen and the locked screen both check a PIN this way.
 */
export function pinCheckInput({
  context,
  event,
}: {
  readonly context: SignInContext;
  readonly event: SignInEvent;
}) {
  return { card: context.card, pin: event.type === 'PIN.SUBMIT' ? event.pin : undefined };
}

/**
 * The PIN screen of smart card sign-in, and the card's check of the PIN typed: right (on to the
 * server, or to a forced change), blocked (the card is read again), or wrong (the attempts left).
 *
 * @category Client
 */
export const pinState = signInSetup.createStateConfig({
  initial: 'entry',
  states: {
    entry: {
      meta: { route: 'pin', prompt: 'pin-prompt' },
      on: { 'PIN.SUBMIT': { target: 'verifying', actions: 'clearNotice' } },
    },
    verifying: busyStep({
      route: 'pin',
      prompt: 'pin-prompt',
      invoke: {
        id: 'verifyPin',
        src: 'verifyPin',
        input: pinCheckInput,
        onDone: [
          {
            guard: 'pinVerifiedMustChange',
            target: '#signIn.smartCard.changingPin',
            actions: 'notePinChangeRequired',
          },
          { guard: 'pinVerified', target: '#signIn.smartCard.authenticating' },
          { guard: 'pinBlocked', target: '#signIn.smartCard.readingCard' },
          { target: 'entry', actions: 'noteWrongPin' },
        ],
        onError: cardStepFailures('entry'),
      },
      timeout: { target: '#signInScreen', actions: 'noteTimeout' },
    }),
  },
});
