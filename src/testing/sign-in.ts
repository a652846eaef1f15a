import { type Actor, createActor, waitFor } from 'xstate';
import { InvalidInputError } from '../errors.js';
import type { SignInMachine } from '../session/machine/machine.js';
import type { SignInEvent } from '../session/machine/types.js';
import { type SignInRoute, type SignInView, viewSignIn } from '../session/machine/view.js';
import { checkTimeout, waitForRoute, where } from './wait-for-route.js';

/**
 * A running sign-in machine: what `createActor(createSignInMachine(options))` returns.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { createSignInMachine } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, type SignInActor, waitForRoute } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
 * const server = await pki.authenticator();
 * const actor: SignInActor = createActor(
 *   createSignInMachine({ method: 'smart-card', card, server, rpId: pki.rpId }),
 * ).start();
 * (await waitForRoute(actor, 'sign-in')).route; // 'sign-in'
 * ```
 *
 * @category Testing
 */
export type SignInActor = Actor<SignInMachine>;

/**
 * One step of a sign-in script for {@link runSignIn}: an event to send (once the machine waits
 * for the user, and only if the screen takes it), `{ expect: route }` to wait for a screen, or
 * `{ run }` to act from outside (pull a card, move a clock).
 *
 * @example
 * ```ts
 * import { createSignInMachine, Secret } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, runSignIn, type SignInStep } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
 * const server = await pki.authenticator();
 * const steps: SignInStep[] = [
 *   { type: 'SIGN_IN', address: 'alice@contoso.test' },
 *   { expect: 'pin' },
 *   { type: 'PIN.SUBMIT', pin: Secret.from('12345678') },
 *   { expect: 'signed-in' },
 * ];
 * const machine = createSignInMachine({ method: 'smart-card', card, server, rpId: pki.rpId });
 * (await runSignIn(machine, steps)).view.route; // 'signed-in'
 * ```
 *
 * @category Testing
 */
export type SignInStep =
  | SignInEvent
  | { readonly expect: SignInRoute; readonly timeout?: number }
  | {
      /** Acts from outside (pull a card, move a clock); awaited when it returns a promise. */
      readonly run: (actor: SignInActor) => unknown;
    };

/**
 * What {@link runSignIn} ends with.
 *
 * @example
 * ```ts
 * import { createSignInMachine, Secret } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, runSignIn, type SignInRun } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card, pin } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
 * const server = await pki.authenticator();
 * const run: SignInRun = await runSignIn(
 *   createSignInMachine({ method: 'smart-card', card, server, rpId: pki.rpId }),
 *   [{ type: 'SIGN_IN', address: 'alice@contoso.test' }, { type: 'PIN.SUBMIT', pin: Secret.from(pin) }, { expect: 'signed-in' }],
 * );
 * run.routes; // ['sign-in', 'pin', 'signing-in', 'signed-in']
 * run.actor.stop();
 * ```
 *
 * @category Testing
 */
export interface SignInRun {
  /** The actor the script drove (started by `runSignIn` when given a machine). */
  readonly actor: SignInActor;
  /** The view once the last step settled. */
  readonly view: SignInView;
  /** Every route shown while the script ran, in order, repeats merged. */
  readonly routes: readonly SignInRoute[];
}

/**
 * Options of {@link runSignIn}.
 *
 * @example
 * ```ts
 * import { createSignInMachine } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, type RunSignInOptions, runSignIn } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
 * const machine = createSignInMachine({ method: 'smart-card', card, server: await pki.authenticator(), rpId: pki.rpId });
 * const options: RunSignInOptions = { timeout: 10_000 }; // each step may take 10 s
 * await runSignIn(machine, [{ type: 'SIGN_IN', address: 'alice@contoso.test' }, { expect: 'pin' }], options);
 * ```
 *
 * @category Testing
 */
export interface RunSignInOptions {
  /** Milliseconds each step may take to settle; 5 000 by default. */
  readonly timeout?: number;
}

/** Waits until the machine waits for the user, or is done. */
async function settle(actor: Actor<SignInMachine>, timeout: number, step: number): Promise<void> {
  try {
    await waitFor(actor, (s) => viewSignIn(s).status !== 'busy', { timeout });
  } catch (error) {
    throw new Error(`Sign-in script step ${step}: still busy at ${where(actor)}.`, {
      cause: error,
    });
  }
}

function checkStep(step: unknown, index: number): asserts step is SignInStep {
  const fields = step as { type?: unknown; expect?: unknown; run?: unknown } | null;
  const ok =
    typeof fields === 'object' &&
    fields !== null &&
    (typeof fields.type === 'string' ||
      typeof fields.expect === 'string' ||
      typeof fields.run === 'function');
  if (!ok) {
    throw new InvalidInputError(
      `Sign-in script step ${index}: an event, { expect: route } or { run(actor) }.`,
    );
  }
}

/**
 * Drives a sign-in machine (or a started actor) through `script`: each event is sent once the
 * machine waits for the user, and only if the screen takes it (else it fails, saying where the
 * machine is); `{ expect }` waits for a route; `{ run }` acts from outside. Resolves when the
 * last step has settled, with the view and the routes shown on the way.
 *
 * @throws `Error` naming the step and where the machine was, when a step cannot be taken or a
 * route is not reached in time (`timeout` ms per step, 5 000 by default); `InvalidInputError`
 * for a malformed script.
 * @example
 * ```ts
 * import { createSignInMachine, Secret } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, runSignIn } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card, reader, pin } = await createTestCard({ kind: 'physical', enrolled: { pki } });
 * const machine = createSignInMachine({
 *   method: 'smart-card',
 *   reader,
 *   server: await pki.authenticator(),
 *   rpId: pki.rpId,
 * });
 * const { view, routes } = await runSignIn(machine, [
 *   { type: 'SIGN_IN', address: 'alice@contoso.test' },
 *   { expect: 'card-detected' },
 *   { type: 'OK' },
 *   { type: 'PIN.SUBMIT', pin: Secret.from(pin) },
 *   { expect: 'signed-in' },
 * ]);
 * view.user?.address; // 'alice@contoso.test'
 * ```
 *
 * @category Testing
 */
export async function runSignIn(
  target: SignInMachine | Actor<SignInMachine>,
  script: readonly SignInStep[],
  options: RunSignInOptions = {},
): Promise<SignInRun> {
  if (!Array.isArray(script)) throw new InvalidInputError('runSignIn takes a list of steps.');
  script.forEach(checkStep);
  const timeout = checkTimeout(options?.timeout);
  const isActor = typeof (target as Partial<Actor<SignInMachine>> | null)?.send === 'function';
  if (!isActor && typeof (target as Partial<SignInMachine> | null)?.provide !== 'function') {
    throw new InvalidInputError('runSignIn takes a sign-in machine or actor.');
  }
  const actor = isActor ? (target as Actor<SignInMachine>) : createActor(target as SignInMachine);
  const routes: SignInRoute[] = [];
  const note = () => {
    const route = viewSignIn(actor.getSnapshot()).route;
    if (routes.at(-1) !== route) routes.push(route);
  };
  const subscription = actor.subscribe({ next: note, error: () => undefined });
  try {
    actor.start();
    note();
    for (const [index, step] of script.entries()) {
      const number = index + 1;
      if ('expect' in step) {
        await waitForRoute(actor, step.expect, { timeout: step.timeout ?? timeout }).catch(
          (error: Error) => {
            throw new Error(`Sign-in script step ${number}: ${error.message}`, { cause: error });
          },
        );
      } else if ('run' in step) {
        await step.run(actor);
      } else {
        await settle(actor, timeout, number);
        if (!viewSignIn(actor.getSnapshot()).can(step)) {
          throw new Error(
            `Sign-in script step ${number}: ${step.type} is not taken at ${where(actor)}.`,
          );
        }
        actor.send(step);
      }
    }
    await settle(actor, timeout, script.length);
    return { actor, view: viewSignIn(actor.getSnapshot()), routes };
  } finally {
    subscription.unsubscribe();
  }
}
