import { type Actor, createActor } from 'xstate';
import {
  type EmulatedSmartCard,
  PhysicalSmartCard,
  SimulatedReader,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../../src/card/index.js';
import {
  type CertificateAuthority,
  EnrollmentBuilder,
  enrollCard,
} from '../../../src/enrollment/index.js';
import { Authenticator, type AuthenticatorOptions } from '../../../src/server/index.js';
import {
  createSignInMachine,
  type SignInMachine,
  type SignInMachineOptions,
} from '../../../src/session/index.js';
import { ALICE, testCa, testClock } from '../../enrollment/support/ca.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';

export const RP_ID = 'intranet.contoso.test';
export const ADDRESS = ALICE.upn as string;

/** One CA for a test file: ECDSA keys, an issuing CA, the test directory and clock. */
export async function signInPki() {
  const clock = testClock();
  const ca = await testCa({ issuing: true, clock });
  return { ca, clock };
}

/**
 * A card enrolled for Alice with a Smartcard User certificate through enrollCard and the CA: the
 * default PIN, marked must-change when `mustChange` (the procedure's first use), or already
 * changed to `pin`.
 */
export async function enrolledCard(
  ca: CertificateAuthority,
  kind: 'physical' | 'virtual',
  options: {
    readonly mustChange?: boolean;
    readonly pin?: string;
    readonly maxAttempts?: number;
    readonly puk?: string;
  } = {},
): Promise<{
  card: EmulatedSmartCard;
  physical: PhysicalSmartCard | null;
  reader: SimulatedReader | null;
}> {
  const base = {
    pinHashIterations: 1,
    keySource: fixtureKeySource,
    ...(options.puk === undefined ? {} : { puk: options.puk }),
    ...(options.maxAttempts === undefined
      ? {}
      : { pinPolicy: { maxAttempts: options.maxAttempts } }),
  };
  const physical = kind === 'physical' ? await PhysicalSmartCard.create(base) : null;
  const card: EmulatedSmartCard =
    physical ?? (await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), ...base }));
  const reader = physical === null ? null : new SimulatedReader();
  if (physical !== null) reader?.insert(physical);
  const result = await enrollCard({
    card,
    request: EnrollmentBuilder.smartcardUserLegacySha1()
      .upn(ALICE.upn as string)
      .email(ALICE.email as string),
    submit: (built) => ca.issue(built, { requester: ALICE.account }),
    requirePinChange: options.mustChange ?? false,
  });
  if (result.status !== 'installed') throw new Error(`not installed: ${result.status}`);
  if (options.pin !== undefined) {
    const changed = await card.changePin('12345678', options.pin);
    if (changed.status !== 'changed') throw new Error('PIN change failed');
    await card.logout();
  }
  return { card, physical, reader };
}

/** An Authenticator trusting the CA, on the CA's clock. */
export function authenticatorFor(
  ca: CertificateAuthority,
  clock: NonNullable<AuthenticatorOptions['clock']>,
  options: Partial<AuthenticatorOptions> = {},
): Authenticator {
  return new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    clock,
    rpId: RP_ID,
    ...options,
  });
}

/** A started sign-in actor with the given options. */
export function startSignIn(options: SignInMachineOptions): Actor<SignInMachine> {
  return createActor(createSignInMachine({ rpId: RP_ID, ...options })).start();
}
