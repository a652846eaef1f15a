import { busyStep } from './busy-step.js';
import { signInSetup } from './setup.js';

/**
 * Password sign-in: the password screen, then the app's check of the address and password.
 *
 * @category Client
 */
export const passwordState = signInSetup.createStateConfig({
  initial: 'entry',
  on: { CANCEL: { target: 'signInScreen', actions: 'noteCancelled' } },
  states: {
    entry: {
      meta: { route: 'password', prompt: 'password-prompt' },
      on: { 'PASSWORD.SUBMIT': { target: 'verifying', actions: 'clearNotice' } },
    },
    verifying: busyStep({
      route: 'password',
      prompt: 'signing-in',
      invoke: {
        id: 'verifyPassword',
        src: 'verifyPassword',
        input: ({ context, event }) => ({
          address: context.address,
          password: event.type === 'PASSWORD.SUBMIT' ? event.password : undefined,
        }),
        onDone: [
          { guard: 'passwordVerified', target: '#signIn.signedIn', actions: 'takeUser' },
          { target: 'entry', actions: 'notePasswordWrong' },
        ],
        onError: { target: '#signInScreen', actions: 'noteFailure' },
      },
      timeout: { target: '#signInScreen', actions: 'noteTimeout' },
    }),
  },
});
