/**
 * Waiting for a screen of the sign-in machine, with an error that says where the machine got
 * stuck when the screen does not come; and the checks `runSignIn` shares with it.
 */
import { type Actor, waitFor } from 'xstate';
import { InvalidInputError } from '../errors.js';
import type { SignInMachine } from '../session/machine/machine.js';
import { type SignInRoute, type SignInView, viewSignIn } from '../session/machine/view.js';

/**
 * Options of {@link waitForRoute}.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { createSignInMachine } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, waitForRoute, type WaitForRouteOptions } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
 * const server = await pki.authenticator();
 * const actor = createActor(
 *   createSignInMachine({ method: 'smart-card', card, server, rpId: pki.rpId }),
 * ).start();
 * const options: WaitForRouteOptions = { timeout: 1_000, settled: false };
 * actor.send({ type: 'SIGN_IN', address: 'alice@contoso.test' });
 * (await waitForRoute(actor, 'pin', options)).route; // 'pin'
 * ```
 *
 * @category Testing
 */
export interface WaitForRouteOptions {
  /** Milliseconds to wait; 5 000 by default. */
  readonly timeout?: number;
  /** Wait until the machine also waits for the user (not `busy`); `true` by default. */
  readonly settled?: boolean;
}

const DEFAULT_TIMEOUT = 5000;

/** Where the actor is: route, status, notice key and error code. */
export function where(actor: Actor<SignInMachine>): string {
  const view = viewSignIn(actor.getSnapshot());
  return `${view.route} (${view.status}; notice ${view.notice?.key ?? 'none'}, error ${view.error?.code ?? 'none'})`;
}

export function checkTimeout(timeout: unknown): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    throw new InvalidInputError('timeout is a number of milliseconds.');
  }
  return timeout;
}

function checkActor(actor: unknown): asserts actor is Actor<SignInMachine> {
  const fields = actor as Partial<Actor<SignInMachine>> | null;
  if (typeof fields !== 'object' || fields === null || typeof fields.send !== 'function') {
    throw new InvalidInputError('Pass a sign-in actor (createActor(createSignInMachine(...))).');
  }
}

/**
 * Waits until the sign-in actor shows `route` and waits for the user (or is done), and returns
 * the view. Fails after `timeout` with where the machine got stuck: its route, status, notice
 * key and error code.
 *
 * @throws `Error` when the route is not reached in time (or the actor stops elsewhere);
 * `InvalidInputError` for bad arguments.
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { createSignInMachine } from 'smartcard-2fa/session';
 * import { createTestCard, createTestPki, waitForRoute } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { card } = await createTestCard({ kind: 'virtual', enrolled: { pki } });
 * const server = await pki.authenticator();
 * const actor = createActor(
 *   createSignInMachine({ method: 'smart-card', card, server, rpId: pki.rpId }),
 * ).start();
 * actor.send({ type: 'SIGN_IN', address: 'alice@contoso.test' });
 * const view = await waitForRoute(actor, 'pin');
 * view.attemptsRemaining; // 5
 * ```
 *
 * @category Testing
 */
export async function waitForRoute(
  actor: Actor<SignInMachine>,
  route: SignInRoute,
  options: WaitForRouteOptions = {},
): Promise<SignInView> {
  checkActor(actor);
  if (typeof route !== 'string') throw new InvalidInputError('route is a SignInRoute.');
  const timeout = checkTimeout(options?.timeout);
  const settled = options?.settled ?? true;
  try {
    const snapshot = await waitFor(
      actor,
      (snapshot) => {
        const view = viewSignIn(snapshot);
        return view.route === route && (!settled || view.status !== 'busy');
      },
      { timeout },
    );
    return viewSignIn(snapshot);
  } catch (error) {
    throw new Error(`Expected the sign-in at ${route}; it is at ${where(actor)}.`, {
      cause: error,
    });
  }
}
