import { assign } from 'xstate';
import { createActors } from './actors.js';
import { cardStates } from './card-states.js';
import { endingStates } from './ending-states.js';
import { entryStates } from './entry-states.js';
import type { SignInMachineOptions } from './option-types.js';
import { checkOptions, type SignInSettings, settingsOf } from './options.js';
import { passwordState } from './password-state.js';
import { signInSetup } from './setup.js';
import { provideSharingStates } from './shared-definition.js';
import { signedInState } from './signed-in-state.js';
import type { SignInContext } from './types.js';

export { isSignInAddress } from './options.js';

/** The initial context but for the options' plain values, which each machine sets. */
const INITIAL_CONTEXT: Omit<SignInContext, keyof SignInSettings> = {
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
};

/**
 * The sign-in machine's definition, built once: every state group composed, with stand-ins for
 * what depends on the options. Internal: {@link createSignInMachine} provides the rest.
 *
 * @category Client
 */
export const signInMachineDefinition = signInSetup.createMachine({
  id: 'signIn',
  context: { ...INITIAL_CONTEXT, ...settingsOf({ method: 'smart-card' }) },
  initial: 'starting',
  // Lives as long as the actor: stopping it (actor.stop()) logs out the card it holds.
  invoke: { id: 'cardSession', src: 'cardSession' },
  states: {
    ...entryStates,
    password: passwordState,
    smartCard: cardStates,
    signedIn: signedInState,
    ...endingStates,
  },
});

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
 * The machine's definition (its states, transitions, named guards and actions) is built once, for
 * every call: a call checks the options and provides what depends on them (the actors, two
 * guards and an action, closing over the options) over the definition's state tree, which every
 * machine shares. The options' plain values (method, removal policy, locale, timeouts) are in
 * the context as before, and a card once it is the card in use; nothing else of them (the
 * server, the reader, the store, the app's callbacks) is in the context, snapshots or inspection
 * events, so a persisted snapshot restores with another machine made from options of the same
 * kind.
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
  const context: SignInContext = { ...INITIAL_CONTEXT, ...settingsOf(options) };
  const fixedCard = options.card ?? null;
  const store = options.signInInfo;
  return provideSharingStates(
    signInMachineDefinition,
    {
      actors: createActors(options),
      guards: {
        noSignInInfoStore: () => store === undefined,
        hasFixedCard: () => fixedCard !== null,
      },
      actions: { takeFixedCard: assign({ card: () => fixedCard }) },
    },
    context,
  );
}

/**
 * The type of the machine {@link createSignInMachine} returns.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { createSignInMachine, type SignInMachine, viewSignIn } from 'smartcard-2fa/session';
 *
 * function start(machine: SignInMachine) {
 *   const actor = createActor(machine).start();
 *   actor.subscribe((snapshot) => console.log(viewSignIn(snapshot).route));
 *   return actor;
 * }
 * const verifyPassword = async () => ({ verified: false }) as const;
 * const actor = start(createSignInMachine({ method: 'password', verifyPassword }));
 * actor.send({ type: 'SIGN_IN', address: 'alice@example.com' });
 * ```
 *
 * @category Client
 */
export type SignInMachine = typeof signInMachineDefinition;
