import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from 'xstate';
import {
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../src/card/index.js';
import {
  type CertificateAuthority,
  EnrollmentBuilder,
  enrollCard,
} from '../../src/enrollment/index.js';
import type { Authenticator, VerifyResult } from '../../src/server/index.js';
import {
  Secret,
  type SignInChallenge,
  type SignInMachine,
  type SignInResponse,
  type SignInServer,
  type SignInView,
  viewSignIn,
} from '../../src/session/index.js';
import { waitForRoute } from '../../src/testing/index.js';
import { AGENT, ALICE, BOB, testClock } from '../enrollment/support/ca.js';
import {
  ADDRESS,
  authenticatorFor,
  enrolledCard,
  signInPki,
  startSignIn,
} from '../session/support/sign-in.js';
import { TEST_PIN } from '../support/cards.js';
import { fixtureKeySource } from '../support/fixture-keys.js';

/**
 * End to end: cards enrolled through enrollCard and the embedded CA sign in through the sign-in
 * machine against a real Authenticator; every refusal carries the Authenticator's reason, leaves
 * the card logged out with no PIN attempt spent, and the sign-in screen ready for another try.
 */
let ca: CertificateAuthority;
let clock: ReturnType<typeof testClock>;

beforeAll(async () => {
  ({ ca, clock } = await signInPki());
});

const DEFAULT_PIN = '12345678';
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const secret = (value: string) => Secret.from(value);

/** A server in front of an Authenticator that records what it issued and what it decided. */
interface Recorded {
  readonly server: SignInServer;
  readonly challenges: SignInChallenge[];
  readonly responses: SignInResponse[];
  readonly verdicts: VerifyResult[];
}

interface Tamper {
  /** Replaces the challenge handed to the machine (after the Authenticator issued one). */
  readonly challenge?: (issued: SignInChallenge) => SignInChallenge | Promise<SignInChallenge>;
  /** Replaces the response the Authenticator verifies. */
  readonly response?: (sent: SignInResponse) => SignInResponse;
}

function recording(auth: Authenticator, tamper: Tamper = {}): Recorded {
  const challenges: SignInChallenge[] = [];
  const responses: SignInResponse[] = [];
  const verdicts: VerifyResult[] = [];
  const server: SignInServer = {
    async challenge(request) {
      const issued = await auth.challenge(request);
      const handed = tamper.challenge === undefined ? issued : await tamper.challenge(issued);
      challenges.push(handed);
      return handed;
    },
    async verify(sent) {
      responses.push(sent);
      const verdict = await auth.verify(
        tamper.response === undefined ? sent : tamper.response(sent),
      );
      verdicts.push(verdict);
      return verdict;
    },
  };
  return { server, challenges, responses, verdicts };
}

interface Enrolled {
  readonly kind: 'physical' | 'virtual';
  readonly card: SmartCard;
  readonly reader: SimulatedReader | null;
}

/** Alice's card, enrolled with the PIN already changed to TEST_PIN. */
async function aliceCard(kind: 'physical' | 'virtual'): Promise<Enrolled> {
  const { card, reader } = await enrolledCard(ca, kind, { pin: TEST_PIN });
  return { kind, card, reader };
}

/** The card's sign-in certificate. */
async function certificateOf(card: SmartCard): Promise<Uint8Array> {
  for (const container of await card.containers()) {
    const certificate = await card.certificate(container.name);
    if (certificate !== null) return certificate;
  }
  throw new Error('no certificate on the card');
}

function start(enrolled: Enrolled, server: SignInServer): Actor<SignInMachine> {
  return enrolled.reader === null
    ? startSignIn({ method: 'smart-card', card: enrolled.card, server })
    : startSignIn({ method: 'smart-card', reader: enrolled.reader, server });
}

/** From the sign-in screen: SIGN_IN, (OK for a physical card in its reader,) the PIN screen. */
async function toPinScreen(
  actor: Actor<SignInMachine>,
  kind: 'physical' | 'virtual',
  address: string,
): Promise<SignInView> {
  await waitForRoute(actor, 'sign-in');
  actor.send({ type: 'SIGN_IN', address });
  if (kind === 'physical') {
    await waitForRoute(actor, 'card-detected');
    actor.send({ type: 'OK' });
  }
  return waitForRoute(actor, 'pin');
}

/** Signs in with TEST_PIN; resolves on the screen the machine settles on. */
async function signInWithPin(
  actor: Actor<SignInMachine>,
  kind: 'physical' | 'virtual',
  address = ADDRESS,
): Promise<SignInView> {
  await toPinScreen(actor, kind, address);
  actor.send({ type: 'PIN.SUBMIT', pin: secret(TEST_PIN) });
  return settled(actor);
}

/** Waits until the machine waits for the user on the sign-in or the signed-in screen. */
async function settled(actor: Actor<SignInMachine>): Promise<SignInView> {
  await vi.waitFor(
    () => {
      const view = viewSignIn(actor.getSnapshot());
      if (view.status === 'busy' || (view.route !== 'sign-in' && view.route !== 'signed-in')) {
        throw new Error(`still at ${view.route} (${view.status})`);
      }
    },
    { timeout: 5000, interval: 5 },
  );
  return viewSignIn(actor.getSnapshot());
}

const reasonOf = (verdict: VerifyResult | undefined) =>
  verdict === undefined ? 'no verdict' : verdict.verified ? 'verified' : verdict.reason;

/**
 * One refused sign-in through the machine: refused with the Authenticator's own reason, on the
 * sign-in screen, the card logged out, the PIN verified once and no attempt spent, and the
 * screen taking a new SIGN_IN. Returns the recorded verdict.
 */
async function expectRefused(
  enrolled: Enrolled,
  recorded: Recorded,
  reason: string,
  address = ADDRESS,
): Promise<{ verdict: VerifyResult; actor: Actor<SignInMachine> }> {
  const { card, kind } = enrolled;
  const attemptsBefore = (await card.pinStatus()).attemptsRemaining;
  const verifyPin = vi.spyOn(card, 'verifyPin');
  const actor = start(enrolled, recorded.server);
  const verdictsBefore = recorded.verdicts.length;

  const view = await signInWithPin(actor, kind, address);
  expect(view.route).toBe('sign-in');
  expect(view.notice?.key).toBe('sign-in-refused');
  expect(view.user).toBeNull();
  expect(view.error).toBeNull();
  // The Authenticator decided, once, and the machine shows its reason.
  expect(recorded.verdicts).toHaveLength(verdictsBefore + 1);
  const verdict = recorded.verdicts.at(-1);
  if (verdict === undefined) throw new Error('no verdict');
  expect(reasonOf(verdict)).toBe(reason);
  expect(view.refusal).toBe(reason);

  // The card is logged out, the PIN was verified once and no attempt was spent.
  await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
  expect(verifyPin).toHaveBeenCalledTimes(1);
  expect((await card.pinStatus()).attemptsRemaining).toBe(attemptsBefore);
  verifyPin.mockRestore();

  // The sign-in screen takes a new SIGN_IN, which leads to the card again.
  expect(view.can({ type: 'SIGN_IN', address })).toBe(true);
  actor.send({ type: 'SIGN_IN', address });
  const again = await waitForRoute(actor, kind === 'physical' ? 'card-detected' : 'pin');
  expect(again.notice).toBeNull();
  expect(again.refusal).toBeNull();
  return { verdict, actor };
}

describe('enrolled through the embedded CA, signed in through the machine', () => {
  it.each(['physical', 'virtual'] as const)(
    '%s card: default PIN, forced change, signed in by the Authenticator',
    async (kind) => {
      // requirePinChange: true and the default PIN, as the enrollment station enrolls.
      const { card, physical, reader } = await enrolledCard(ca, kind, { mustChange: true });
      expect(await card.pinStatus()).toMatchObject({ mustChange: true, isDefault: true });
      const recorded = recording(authenticatorFor(ca, clock));
      const actor = startSignIn(
        reader === null
          ? { method: 'smart-card', card, server: recorded.server }
          : { method: 'smart-card', reader, server: recorded.server },
      );
      const routes: string[] = [];
      actor.subscribe((s) => routes.push(viewSignIn(s).route));

      await waitForRoute(actor, 'sign-in');
      if (reader !== null && physical !== null) {
        reader.remove();
        actor.send({ type: 'SIGN_IN', address: ADDRESS });
        await waitForRoute(actor, 'insert-card');
        reader.insert(physical);
        await waitForRoute(actor, 'card-detected');
        actor.send({ type: 'OK' });
      } else {
        actor.send({ type: 'SIGN_IN', address: ADDRESS });
      }
      let view = await waitForRoute(actor, 'change-pin');
      expect(view.notice?.key).toBe('pin-change-default');
      expect(recorded.challenges).toHaveLength(0);
      actor.send({
        type: 'PIN.CHANGE',
        current: secret(DEFAULT_PIN),
        next: secret(TEST_PIN),
        confirm: secret(TEST_PIN),
      });
      view = await waitForRoute(actor, 'signed-in');

      // The Authenticator's verdict is what signed the user in.
      expect(recorded.challenges).toHaveLength(1);
      expect(recorded.verdicts).toHaveLength(1);
      const verdict = recorded.verdicts[0];
      if (verdict?.verified !== true) throw new Error(`refused: ${reasonOf(verdict)}`);
      expect(verdict.certificate).toEqual(await certificateOf(card));
      expect(recorded.responses[0]?.id).toBe(recorded.challenges[0]?.id);
      expect(view.user).toEqual(verdict.user);
      expect(view.user).toMatchObject({
        address: ADDRESS,
        name: ALICE.upn,
        upn: ALICE.upn,
        email: ALICE.email,
      });
      expect(view.card).toEqual({ id: card.id, kind });
      expect(view.refusal).toBeNull();
      expect(routes.includes('insert-card')).toBe(kind === 'physical');
      expect(await card.pinStatus()).toMatchObject({ mustChange: false, isDefault: false });
      expect((await card.info()).pinVerified).toBe(true);

      actor.send({ type: 'SIGN_OUT' });
      await waitForRoute(actor, 'sign-in');
      await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
      actor.stop();
    },
  );
});

describe.each(['physical', 'virtual'] as const)('refused sign-ins, %s card', (kind) => {
  it('replayed: an answer already used, then a challenge already used → challenge-used', async () => {
    const enrolled = await aliceCard(kind);
    let replay: 'off' | 'response' | 'challenge' = 'off';
    let used: { challenge: SignInChallenge; response: SignInResponse } | null = null;
    const recorded = recording(authenticatorFor(ca, clock), {
      challenge: (issued) => (replay === 'challenge' && used !== null ? used.challenge : issued),
      response: (sent) => (replay === 'response' && used !== null ? used.response : sent),
    });

    // A first sign-in succeeds; its challenge and answer are kept.
    const actor = start(enrolled, recorded.server);
    const first = await signInWithPin(actor, kind);
    expect(first.route).toBe('signed-in');
    const [challenge] = recorded.challenges;
    const [response] = recorded.responses;
    if (challenge === undefined || response === undefined) throw new Error('nothing recorded');
    used = { challenge, response };
    actor.send({ type: 'SIGN_OUT' });
    await waitForRoute(actor, 'sign-in');
    actor.stop();

    // The server's answer replayed in place of the card's fresh one.
    replay = 'response';
    const fromResponse = await expectRefused(enrolled, recorded, 'challenge-used');
    fromResponse.actor.stop();
    expect(recorded.responses.at(-1)?.id).not.toBe(challenge.id);

    // The used challenge handed to the machine again: the card signs it, the server refuses.
    replay = 'challenge';
    const fromChallenge = await expectRefused(enrolled, recorded, 'challenge-used');
    fromChallenge.actor.stop();
    expect(recorded.challenges.at(-1)?.id).toBe(challenge.id);
    expect(recorded.responses.at(-1)?.id).toBe(challenge.id);
  });

  it('expired: the clock passes challengeTtlMs before the answer → challenge-expired', async () => {
    const enrolled = await aliceCard(kind);
    const ttl = 5_000;
    const serverClock = testClock();
    let expireNext = true;
    const recorded = recording(authenticatorFor(ca, serverClock, { challengeTtlMs: ttl }), {
      challenge: (issued) => {
        if (expireNext) serverClock.advance(ttl);
        expireNext = false;
        return issued;
      },
    });
    const { actor } = await expectRefused(enrolled, recorded, 'challenge-expired');

    // Signing in again gets a fresh challenge and succeeds.
    if (kind === 'physical') actor.send({ type: 'OK' });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: secret(TEST_PIN) });
    const view = await settled(actor);
    expect(view.route).toBe('signed-in');
    expect(view.user?.address).toBe(ADDRESS);
    expect(recorded.verdicts.map(reasonOf)).toEqual(['challenge-expired', 'verified']);
    actor.stop();
  });

  it('revoked: the CA revokes the certificate and the Authenticator has the CRL', async () => {
    const enrolled = await aliceCard(kind);
    const auth = authenticatorFor(ca, clock, { crls: async () => [await ca.crl()] });
    const recorded = recording(auth);

    // Valid before the revocation...
    const actor = start(enrolled, recorded.server);
    expect((await signInWithPin(actor, kind)).route).toBe('signed-in');
    actor.send({ type: 'SIGN_OUT' });
    await waitForRoute(actor, 'sign-in');
    actor.stop();

    // ...refused after it.
    const serial = new X509Certificate(await certificateOf(enrolled.card)).serialNumber;
    await ca.revoke(serial, 'keyCompromise');
    const { verdict, actor: refused } = await expectRefused(
      enrolled,
      recorded,
      'certificate-invalid',
    );
    refused.stop();
    expect(verdict).toMatchObject({
      verified: false,
      reason: 'certificate-invalid',
      pathReason: 'revoked',
    });
  });

  it('wrong EKU: the Authenticator requires an EKU the certificate lacks', async () => {
    const enrolled = await aliceCard(kind);
    const recorded = recording(authenticatorFor(ca, clock, { requiredEku: [CODE_SIGNING] }));
    const { verdict, actor } = await expectRefused(enrolled, recorded, 'certificate-invalid');
    actor.stop();
    expect(verdict).toMatchObject({ reason: 'certificate-invalid', pathReason: 'eku' });
  });

  it('wrong EKU: an Enrollment Agent certificate, with the default EKUs', async () => {
    const enrolled = await agentCard(kind);
    const recorded = recording(authenticatorFor(ca, clock));
    const { verdict, actor } = await expectRefused(
      enrolled,
      recorded,
      'certificate-invalid',
      AGENT.upn,
    );
    actor.stop();
    expect(verdict).toMatchObject({ reason: 'certificate-invalid', pathReason: 'eku' });
  });

  it('relayed: another service’s challenge is refused before the card signs → ERR_WRONG_SERVICE', async () => {
    const enrolled = await aliceCard(kind);
    // The server passes on the challenges of another service, mail.contoso.test.
    const recorded = recording(authenticatorFor(ca, clock, { rpId: 'mail.contoso.test' }));
    const sign = vi.spyOn(enrolled.card, 'sign');
    const actor = start(enrolled, recorded.server);
    try {
      const view = await signInWithPin(actor, kind);
      expect(view.route).toBe('sign-in');
      expect(view.notice?.key).toBe('sign-in-refused');
      expect(view.error?.code).toBe('ERR_WRONG_SERVICE');
      expect(view.refusal).toBeNull();
      expect(sign).not.toHaveBeenCalled();
      expect(recorded.challenges).toHaveLength(1);
      expect(recorded.responses).toHaveLength(0);
      await expect.poll(async () => (await enrolled.card.info()).pinVerified).toBe(false);
    } finally {
      sign.mockRestore();
      actor.stop();
    }
  });

  it("wrong user: Alice's card signing in as Bob → wrong-user", async () => {
    const enrolled = await aliceCard(kind);
    const recorded = recording(authenticatorFor(ca, clock));
    const { actor } = await expectRefused(enrolled, recorded, 'wrong-user', BOB.upn as string);
    actor.stop();
    expect(viewSignIn(actor.getSnapshot()).address).toBe(BOB.upn);
  });
});

/** A card enrolled for the Enrollment Agent (EKU: Certificate Request Agent only). */
async function agentCard(kind: 'physical' | 'virtual'): Promise<Enrolled> {
  const base = { pinHashIterations: 1, keySource: fixtureKeySource };
  const card: SmartCard =
    kind === 'physical'
      ? await PhysicalSmartCard.create(base)
      : await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), ...base });
  const reader = card instanceof PhysicalSmartCard ? new SimulatedReader() : null;
  if (card instanceof PhysicalSmartCard) reader?.insert(card);
  const result = await enrollCard({
    card,
    request: new EnrollmentBuilder().template('EnrollmentAgent'),
    submit: (built) => ca.issue(built, { requester: AGENT.account }),
    requirePinChange: false,
  });
  if (result.status !== 'installed') throw new Error(`not installed: ${result.status}`);
  const changed = await card.changePin(DEFAULT_PIN, TEST_PIN);
  if (changed.status !== 'changed') throw new Error('PIN change failed');
  await card.logout();
  return { kind, card, reader };
}

describe('failures before the Authenticator decides', () => {
  it.each(['physical', 'virtual'] as const)(
    '%s card with no certificate (its PIN set) → card-not-enrolled, server never asked',
    async (kind) => {
      const base = {
        pinHashIterations: 1,
        keySource: fixtureKeySource,
        pin: TEST_PIN,
        mustChange: false,
      };
      const card: SmartCard =
        kind === 'physical'
          ? await PhysicalSmartCard.create(base)
          : await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), ...base });
      const reader = card instanceof PhysicalSmartCard ? new SimulatedReader() : null;
      if (card instanceof PhysicalSmartCard) reader?.insert(card);
      expect((await card.info()).blank).toBe(true);
      const recorded = recording(authenticatorFor(ca, clock));
      const attemptsBefore = (await card.pinStatus()).attemptsRemaining;
      const actor = start({ kind, card, reader }, recorded.server);

      const view = await signInWithPin(actor, kind);
      expect(view.route).toBe('sign-in');
      expect(view.notice?.key).toBe('card-not-enrolled');
      expect(view.refusal).toBe('card-not-enrolled');
      expect(view.user).toBeNull();
      expect(recorded.challenges).toHaveLength(0);
      expect(recorded.verdicts).toHaveLength(0);
      await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
      expect((await card.pinStatus()).attemptsRemaining).toBe(attemptsBefore);
      expect(view.can({ type: 'SIGN_IN', address: ADDRESS })).toBe(true);
      actor.stop();
    },
  );

  it.each(['physical', 'virtual'] as const)(
    '%s card, server unreachable (challenge() rejects like fetch) → server-unavailable',
    async (kind) => {
      const enrolled = await aliceCard(kind);
      const auth = authenticatorFor(ca, clock);
      let calls = 0;
      const server: SignInServer = {
        challenge: async () => {
          calls += 1;
          throw new TypeError('fetch failed');
        },
        verify: (response) => auth.verify(response),
      };
      const attemptsBefore = (await enrolled.card.pinStatus()).attemptsRemaining;
      const verifyPin = vi.spyOn(enrolled.card, 'verifyPin');
      const actor = start(enrolled, server);

      const view = await signInWithPin(actor, kind);
      expect(view.route).toBe('sign-in');
      expect(view.notice?.key).toBe('server-unavailable');
      expect(view.error?.code).toBe('SERVER_UNAVAILABLE');
      expect(view.error?.message).not.toContain('fetch failed');
      expect(view.refusal).toBeNull();
      expect(view.user).toBeNull();
      expect(calls).toBe(1);
      await expect.poll(async () => (await enrolled.card.info()).pinVerified).toBe(false);
      expect(verifyPin).toHaveBeenCalledTimes(1);
      expect((await enrolled.card.pinStatus()).attemptsRemaining).toBe(attemptsBefore);
      verifyPin.mockRestore();
      expect(view.can({ type: 'SIGN_IN', address: ADDRESS })).toBe(true);
      actor.stop();
    },
  );
});

describe('addresses', () => {
  it.each(['álice@contoso.test', 'alice@contoso_test', 'a..b@contoso.test', 'alice'])(
    'an address the Authenticator would refuse (%s) is refused before the PIN is asked',
    async (address) => {
      const enrolled = await aliceCard('virtual');
      const recorded = recording(authenticatorFor(ca, clock));
      const actor = start(enrolled, recorded.server);
      await waitForRoute(actor, 'sign-in');
      actor.send({ type: 'SIGN_IN', address });
      const view = viewSignIn(actor.getSnapshot());
      actor.stop();
      expect(view.route).toBe('sign-in');
      expect(view.notice?.key).toBe('sign-in-address-invalid');
    },
  );
});
