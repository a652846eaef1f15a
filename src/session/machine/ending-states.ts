import { busyStep } from './busy-step.js';
import { signInSetup } from './setup.js';

/**
 * How a session ends: signing out (back to the sign-in screen, deleting the stored sign-in
 * information when asked), exiting, and the final state, which logs the card out.
 *
 * @category Client
 */
export const endingStates = {
  signingOut: busyStep({
    route: 'signing-out',
    prompt: 'sign-out-effect',
    invoke: {
      id: 'endSession',
      src: 'endSession',
      input: ({ context }) => ({
        user: context.user,
        deleteSignInInfo: context.deleteOnSignOut,
      }),
      onDone: { target: 'signInScreen', actions: 'closeSession' },
      // The session is over here whatever the server said; the failure is shown.
      onError: { target: 'signInScreen', actions: ['noteFailure', 'closeSession'] },
    },
    timeout: { target: 'signInScreen', actions: 'noteSignOutTimedOut' },
  }),

  exiting: busyStep({
    route: 'exiting',
    prompt: 'exit-effect',
    invoke: {
      id: 'endSession',
      src: 'endSession',
      input: ({ context }) => ({ user: context.user, deleteSignInInfo: false }),
      onDone: { target: 'exited' },
      onError: { target: 'exited', actions: 'noteFailure' },
    },
    timeout: { target: 'exited' },
  }),

  exited: signInSetup.createStateConfig({
    type: 'final',
    meta: { route: 'exited', prompt: 'exit-effect' },
    entry: ['releaseCard', 'forgetUserAndCard'],
  }),
};
