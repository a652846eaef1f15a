import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import { Authenticator, type AuthenticatorOptions } from '../../../src/server/index.js';
import { type SignInResponse, signChallenge } from '../../../src/session/index.js';
import { createTestCard, createTestPki, type TestPki } from '../../../src/testing/index.js';

/**
 * The Authenticator's CRLs: a verification uses the CRLs it fetched or newer ones, never older
 * (neither a concurrent refresh nor an old CRL still within its validity brings a revoked card
 * back); a CRL of the issuer that does not verify is no CRL at all but an undecided status; a
 * server a little behind the CA accepts a fresh CRL; a path is kept only once its certificate's
 * key has signed the answer.
 */
const START = Date.UTC(2026, 0, 15, 12);

function movableClock(start: number): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => now, set: (ms) => (now = ms) };
}

const clock = movableClock(START);
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki({ clock, rpId: 'app.contoso.test' });
});

/** A card of its own, enrolled and PIN-verified: answers challenges of any Authenticator. */
async function enrolledCard() {
  const test = await createTestCard({ kind: 'physical', enrolled: { pki } });
  const enrollment = test.enrollment;
  if (enrollment === null) throw new Error('not enrolled');
  await test.card.verifyPin(test.pin);
  return {
    certificate: enrollment.certificate,
    answer: async (auth: Authenticator): Promise<SignInResponse> => {
      const challenge = await auth.challenge({ address: 'alice@contoso.test' });
      return signChallenge(test.card, enrollment.container, challenge, { rpId: pki.rpId });
    },
  };
}

async function authenticator(options: Partial<AuthenticatorOptions>) {
  const { crls: _now, ...trust } = await pki.authenticatorOptions();
  return new Authenticator({ ...trust, ...options });
}

const crlsNow = async () => (await pki.authenticatorOptions()).crls;

describe('revocation never goes back', () => {
  it('an older CRL, still within its validity, does not bring a revoked certificate back', async () => {
    clock.set(START);
    const card = await enrolledCard();
    const before = await crlsNow();
    await pki.revoke(card.certificate);
    const after = await crlsNow();
    let served = after;
    const auth = await authenticator({ crls: async () => served });
    expect(await auth.verify(await card.answer(auth))).toMatchObject({
      verified: false,
      pathReason: 'revoked',
    });
    served = before; // an attacker (or a stale mirror) serves the CRL of before the revocation
    expect(await auth.verify(await card.answer(auth))).toMatchObject({
      verified: false,
      pathReason: 'revoked',
    });
  });

  it('a concurrent verification that fetched older CRLs does not change what another checks against', async () => {
    clock.set(START);
    const revoked = await enrolledCard();
    const other = await enrolledCard();
    const before = await crlsNow();
    await pki.revoke(revoked.certificate);
    const after = await crlsNow();
    // Each call to crls() waits until the test hands it a list.
    const waiting: ((list: readonly Uint8Array[]) => void)[] = [];
    const auth = await authenticator({
      crls: () => new Promise((resolve) => waiting.push(resolve)),
    });
    const [a, b] = [await revoked.answer(auth), await other.answer(auth)];
    const first = auth.verify(a);
    const second = auth.verify(b);
    while (waiting.length < 2) await new Promise((resolve) => setImmediate(resolve));
    // The first gets the new CRLs, the second the old ones, in the same turn.
    waiting[0]?.(after);
    waiting[1]?.(before);
    const [firstResult, secondResult] = await Promise.all([first, second]);
    expect(firstResult).toMatchObject({ verified: false, pathReason: 'revoked' });
    expect(secondResult.verified).toBe(true);
  });
});

describe('a CRL of the issuer that does not verify', () => {
  it('fails the certificate under the default revocation mode, not skipped', async () => {
    clock.set(START);
    const card = await enrolledCard();
    const [issuing, ...rest] = await crlsNow();
    if (issuing === undefined) throw new Error('no CRL');
    const broken = issuing.slice();
    broken[broken.length - 10] = (broken[broken.length - 10] as number) ^ 0x40; // its signature
    const auth = await authenticator({ crls: [broken, ...rest] });
    expect(await auth.verify(await card.answer(auth))).toMatchObject({
      verified: false,
      pathReason: 'crl-invalid',
    });
  });
});

describe('clock skew', () => {
  it('a server 1.5 s behind the CA accepts the CRL the CA has just made', async () => {
    clock.set(START);
    const card = await enrolledCard();
    const behind: Clock = { now: () => clock.now() - 1500 };
    const auth = await authenticator({ crls: crlsNow, clock: behind });
    expect((await auth.verify(await card.answer(auth))).verified).toBe(true);
  });

  it('takes crlClockSkewMs, and refuses a wrong one', async () => {
    clock.set(START);
    const card = await enrolledCard();
    const crls = await crlsNow(); // valid for seven days from now
    // A server whose clock runs a minute past the CRLs' nextUpdate.
    const ahead: Clock = { now: () => START + 7 * 86_400_000 + 60_000 };
    const strict = await authenticator({ crls, clock: ahead, crlClockSkewMs: 0 });
    expect(await strict.verify(await card.answer(strict))).toMatchObject({
      verified: false,
      pathReason: 'crl-invalid',
    });
    const lenient = await authenticator({ crls, clock: ahead });
    expect((await lenient.verify(await card.answer(lenient))).verified).toBe(true);
    await expect(authenticator({ crlClockSkewMs: -1 })).rejects.toThrow(/crlClockSkewMs/);
  });
});

describe('the path cache', () => {
  /** WebCrypto whose `verify` calls are counted. */
  function countingCrypto() {
    const counter = { verifies: 0 };
    const subtle = new Proxy(crypto.subtle, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (name === 'verify') {
          return (...args: Parameters<SubtleCrypto['verify']>) => {
            counter.verifies += 1;
            return target.verify(...args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const wrapped = new Proxy(crypto, {
      get(target, name) {
        if (name === 'subtle') return subtle;
        const value = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { crypto: wrapped as Crypto, counter };
  }

  it('keeps a path only once the answer’s signature verified', async () => {
    clock.set(START);
    const card = await enrolledCard();
    const { crypto: counted, counter } = countingCrypto();
    const auth = await authenticator({ crls: await crlsNow(), crypto: counted });
    const forged = async () => {
      const answer = await card.answer(auth);
      const signature = answer.signature.slice();
      signature[0] = (signature[0] as number) ^ 1;
      return { ...answer, signature };
    };
    expect(await auth.verify(await forged())).toMatchObject({ reason: 'bad-signature' });
    const before = counter.verifies;
    expect(await auth.verify(await forged())).toMatchObject({ reason: 'bad-signature' });
    // Not cached: the certificate's own signature was checked again, besides the answer.
    expect(counter.verifies - before).toBeGreaterThan(1);
    expect((await auth.verify(await card.answer(auth))).verified).toBe(true);
    const after = counter.verifies;
    expect((await auth.verify(await card.answer(auth))).verified).toBe(true);
    // Cached after a good answer: only the answer's signature is checked.
    expect(counter.verifies - after).toBe(1);
  });
});
