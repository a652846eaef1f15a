import type { MessageKey } from '../messages/message-keys.js';
import { type SignInStateConfig, signInSetup } from './setup.js';
import type { SignInRoute } from './view.js';

/**
 * A busy step of the sign-in machine: the state is tagged `busy` (the view says so), invokes
 * the one actor that does the step, and gives up after the `operation` delay. Every card,
 * server and store step is one of these.
 *
 * @category Client
 */
export function busyStep(step: {
  /** The route and prompt the view shows while the step runs. */
  readonly route: SignInRoute;
  readonly prompt: MessageKey;
  /** The actor that does the step, and where its outcomes go. */
  readonly invoke: NonNullable<SignInStateConfig['invoke']>;
  /** What the `operation` timeout does. */
  readonly timeout: NonNullable<NonNullable<SignInStateConfig['after']>['operation']>;
  /** The events the step takes while it runs (CANCEL, ...). */
  readonly on?: NonNullable<SignInStateConfig['on']>;
  /** Where the state passes on at once, without running the step (no store to read, say). */
  readonly always?: NonNullable<SignInStateConfig['always']>;
}): SignInStateConfig {
  return signInSetup.createStateConfig({
    tags: 'busy',
    meta: { route: step.route, prompt: step.prompt },
    invoke: step.invoke,
    after: { operation: step.timeout },
    ...(step.on === undefined ? {} : { on: step.on }),
    ...(step.always === undefined ? {} : { always: step.always }),
  });
}

/**
 * Where a failed card step goes when no retry is worth it: a removed card back to waiting for
 * one, anything else to the sign-in screen. The failure is noted in both cases.
 *
 * @category Client
 */
export const cardStepStops = [
  {
    guard: 'cardWasRemoved' as const,
    target: '#signIn.smartCard.waitingForCard',
    actions: ['forgetCard' as const, 'noteFailure' as const],
  },
  { target: '#signInScreen', actions: 'noteFailure' as const },
];

/**
 * Where a failed card step goes: as {@link cardStepStops}, but a failure worth another try (a TPM
 * lockout, a PIN the card's policy refuses) back to the step's form, `retryTarget`.
 *
 * @category Client
 */
export function cardStepFailures(retryTarget: string) {
  return [
    cardStepStops[0],
    { guard: 'canRetry' as const, target: retryTarget, actions: 'noteFailure' as const },
    cardStepStops[1],
  ];
}
