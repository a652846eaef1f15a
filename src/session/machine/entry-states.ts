import { busyStep } from './busy-step.js';
import { signInSetup } from './setup.js';

/**
 * The states before a sign-in method is taken: loading the stored sign-in information, the
 * sign-in screen (address, Sign In, "Delete my sign-in information", Exit), the choice of method,
 * and deleting the stored information.
 *
 * @category Client
 */
export const entryStates = {
  starting: busyStep({
    route: 'sign-in',
    prompt: 'sign-in-address-prompt',
    invoke: {
      id: 'loadSignInInfo',
      src: 'loadSignInInfo',
      onDone: { target: 'signInScreen', actions: 'takeStoredAddress' },
      // Unreadable stored information is as good as none: start with an empty address.
      onError: { target: 'signInScreen' },
    },
    timeout: { target: 'signInScreen' },
    on: { CANCEL: { target: 'signInScreen' } },
    always: { guard: 'noSignInInfoStore', target: 'signInScreen' },
  }),

  signInScreen: signInSetup.createStateConfig({
    id: 'signInScreen',
    meta: { route: 'sign-in', prompt: 'sign-in-address-prompt' },
    entry: ['releaseCard', 'forgetCard'],
    on: {
      SIGN_IN: [
        {
          guard: 'validAddress',
          actions: ['clearNotice', 'takeAddress'],
          target: 'choosingMethod',
        },
        { actions: 'noteInvalidAddress' },
      ],
      DELETE_SIGN_IN_INFO: { target: 'deletingSignInInfo', actions: 'clearNotice' },
      EXIT: { target: 'exited' },
    },
  }),

  choosingMethod: signInSetup.createStateConfig({
    always: [{ guard: 'usesPassword', target: 'password' }, { target: 'smartCard' }],
  }),

  deletingSignInInfo: busyStep({
    route: 'sign-in',
    prompt: 'delete-sign-in-info-effect',
    invoke: {
      id: 'deleteSignInInfo',
      src: 'deleteSignInInfo',
      onDone: { target: 'signInScreen', actions: 'forgetAddress' },
      onError: { target: 'signInScreen', actions: 'noteFailure' },
    },
    timeout: { target: 'signInScreen', actions: 'noteTimeout' },
    on: { CANCEL: { target: 'signInScreen', actions: 'noteCancelled' } },
  }),
};
