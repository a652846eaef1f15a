import { X509Certificate } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, createActor, waitFor } from 'xstate';
import { EnrollmentBuilder, enrollCard } from '../../src/enrollment/index.js';
import { Pkcs11Reader, Pkcs11SmartCard } from '../../src/pkcs11/index.js';
import {
  createSignInMachine,
  Secret,
  type SignInMachine,
  type SignInMachineOptions,
  type SignInView,
  viewSignIn,
} from '../../src/session/index.js';
import { createTestPki, TEST_USERS, type TestPki, waitForRoute } from '../../src/testing/index.js';
import { freshToken } from './support/fresh.js';
import {
  clearTpmLockout,
  type TestToken,
  type TokenKind,
  tokenSupport,
  tpmLockoutCounter,
  useTestToken,
} from './support/tokens.js';

/**
 * End to end on real tokens: Alice's key pair generated on the token by enrollCard, her
 * certificate from the test CA installed on the token, then a sign-in through the sign-in
 * machine against an Authenticator: SoftHSM2 as a physical card watched by a Pkcs11Reader, the
 * TPM token as a virtual card. On the TPM, the real dictionary-attack lockout through the
 * machine: wrong PINs until CKR_PIN_LOCKED shows the card-blocked screen, then the test's own
 * lockout reset and a sign-in.
 */

const ALICE = TEST_USERS.alice;
const WRONG_PIN = '00000000';
const TPM_TRIES = 3;

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** How long a step of a sign-in on a real token may take. */
const SLOW = { timeout: 25_000 };

async function start(options: Partial<SignInMachineOptions>): Promise<Actor<SignInMachine>> {
  const machine = createSignInMachine({
    method: 'smart-card',
    server: await pki.authenticator(),
    rpId: pki.rpId,
    ...options,
  });
  const actor = createActor(machine).start();
  closers.push(async () => {
    actor.stop();
  });
  return actor;
}

/** From the sign-in screen to the PIN screen (OK on card-detected for a physical card). */
async function toPin(actor: Actor<SignInMachine>, physical: boolean): Promise<SignInView> {
  await waitForRoute(actor, 'sign-in', SLOW);
  actor.send({ type: 'SIGN_IN', address: ALICE.upn });
  if (physical) {
    await waitForRoute(actor, 'card-detected', SLOW);
    actor.send({ type: 'OK' });
  }
  return waitForRoute(actor, 'pin', SLOW);
}

/** Enrolls Alice on a fresh token: the key generated there, the certificate installed there. */
async function enroll(t: TestToken): Promise<Uint8Array> {
  freshToken(t);
  const card = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
  try {
    expect((await card.info()).blank).toBe(true);
    const result = await enrollCard({
      card,
      pin: t.pin,
      request: new EnrollmentBuilder()
        .template('SmartcardUser')
        .algorithm('RSA-2048')
        .keySpec('exchange')
        .upn(ALICE.upn)
        .email(ALICE.email),
      submit: (built) => pki.ca.issue(built, { requester: ALICE.account }),
      requirePinChange: false,
    });
    if (result.status !== 'installed') throw new Error(`enrollment ended ${result.status}`);
    const [container, ...others] = await card.containers();
    expect(others).toEqual([]);
    expect(container).toMatchObject({ name: result.container, hasCertificate: true });
    expect(await card.certificate(result.container)).toEqual(result.certificate);
    // The certificate names Alice and carries the key generated on the token.
    const x509 = new X509Certificate(result.certificate);
    expect(x509.subjectAltName).toContain(ALICE.upn);
    expect(
      x509.publicKey
        .export({ type: 'spki', format: 'der' })
        .equals(Buffer.from(container?.publicKey ?? [])),
    ).toBe(true);
    return result.certificate;
  } finally {
    await card.close();
  }
}

function describeToken(kind: TokenKind, name: string, body: (token: () => TestToken) => void) {
  describe.skipIf(!tokenSupport(kind).available)(`${name}: enroll and sign in`, () => {
    const token = useTestToken(
      kind,
      kind === 'tpm' ? { maxTries: TPM_TRIES, resourceManager: true } : {},
    );
    body(token);
  });
}

describeToken('softhsm', 'SoftHSM2', (token) => {
  it('enrolls on the token, then signs in through a Pkcs11Reader', async () => {
    const t = token();
    await enroll(t);
    const reader = await Pkcs11Reader.open({ module: t.module, label: t.label, interval: 100 });
    closers.push(() => reader.close());
    expect(reader.card?.kind).toBe('physical');
    const actor = await start({ reader });
    await toPin(actor, true);
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(t.pin) });
    const view = await waitForRoute(actor, 'signed-in', SLOW);
    expect(view.user?.address).toBe(ALICE.upn);
  }, 30_000);

  it('counts a wrong PIN with the SDK counter kept on the token', async () => {
    const t = token();
    await enroll(t);
    const reader = await Pkcs11Reader.open({ module: t.module, label: t.label, interval: 100 });
    closers.push(() => reader.close());
    const actor = await start({ reader });
    await toPin(actor, true);
    expect((await reader.card?.pinStatus())?.attemptsRemaining).toBe(5);
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(WRONG_PIN) });
    await waitFor(actor, (s) => viewSignIn(s).notice?.key === 'pin-wrong', { timeout: 25_000 });
    expect((await reader.card?.pinStatus())?.attemptsRemaining).toBe(4);
    expect(viewSignIn(actor.getSnapshot()).attemptsRemaining).toBe(4);
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(t.pin) });
    expect((await waitForRoute(actor, 'signed-in', SLOW)).user?.address).toBe(ALICE.upn);
    expect((await reader.card?.pinStatus())?.attemptsRemaining).toBe(5);
  }, 30_000);
});

describeToken('tpm', 'TPM token (swtpm + tpm2-pkcs11)', (token) => {
  it('enrolls on the token, then signs in as a virtual card', async () => {
    const t = token();
    await enroll(t);
    const card = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    closers.push(() => card.close());
    expect(card.kind).toBe('virtual');
    const actor = await start({ card });
    await toPin(actor, false);
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(t.pin) });
    expect((await waitForRoute(actor, 'signed-in', SLOW)).user?.address).toBe(ALICE.upn);
  }, 30_000);

  it("locks out for real: wrong PINs until CKR_PIN_LOCKED, card-blocked, then the TPM's reset", async () => {
    const t = token();
    await enroll(t);
    clearTpmLockout(t);
    const card = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    closers.push(() => card.close());
    const actor = await start({ card });
    await toPin(actor, false);
    for (let i = 0; i < TPM_TRIES; i++) {
      actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(WRONG_PIN) });
      await waitFor(
        actor,
        (s) => viewSignIn(s).status !== 'busy' && viewSignIn(s).notice !== null,
        {
          timeout: 25_000,
        },
      );
      const view = viewSignIn(actor.getSnapshot());
      expect(view.route).toBe('pin');
      // The TPM cannot tell how many attempts are left: the machine says so.
      expect(view.notice?.key).toBe('pin-wrong-unknown-attempts');
      expect(view.attemptsRemaining).toBeNull();
    }
    expect(tpmLockoutCounter(t)).toBe(TPM_TRIES);
    // The next attempt meets the TPM's lockout (CKR_PIN_LOCKED): the right PIN too.
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(t.pin) });
    const blocked = await waitForRoute(actor, 'card-blocked', SLOW);
    expect(blocked.user).toBeNull();
    expect(await card.verifyPin(t.pin)).toEqual({ status: 'blocked' });

    expect((await card.pinStatus()).blocked).toBe(true);

    // The platform's owner resets the TPM's lockout, and the app the card, which cannot see
    // the reset; the card signs in again.
    clearTpmLockout(t);
    await card.reset();
    actor.send({ type: 'BACK' });
    await toPin(actor, false);
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(t.pin) });
    expect((await waitForRoute(actor, 'signed-in', SLOW)).user?.address).toBe(ALICE.upn);
    expect(tpmLockoutCounter(t)).toBe(0);
  }, 30_000);
});
