import { inspect } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import type { CardPinVerifyResult } from '../../../src/card/index.js';
import { SimulatedReader } from '../../../src/card/index.js';
import type { CertificateAuthority } from '../../../src/enrollment/index.js';
import { StorageError } from '../../../src/errors.js';
import {
  createSignInMachine,
  type RemovalPolicy,
  Secret,
  type SignInActorInput,
  viewSignIn,
} from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import type { testClock } from '../../enrollment/support/ca.js';
import { TEST_PIN } from '../../support/cards.js';
import {
  ADDRESS,
  authenticatorFor,
  enrolledCard,
  RP_ID,
  signInPki,
  startSignIn,
} from '../support/sign-in.js';

/**
 * The signed-in session with a physical card: the three removal policies, a locked session and
 * its unlock; cancel and timeouts that leave no state hanging; PINs that never show.
 */
let ca: CertificateAuthority;
let clock: ReturnType<typeof testClock>;

beforeAll(async () => {
  ({ ca, clock } = await signInPki());
});

async function signedInWithPhysicalCard(removal: RemovalPolicy) {
  const { card, physical, reader } = await enrolledCard(ca, 'physical', { pin: TEST_PIN });
  if (physical === null || reader === null) throw new Error('no reader');
  const actor = startSignIn({
    method: 'smart-card',
    reader,
    server: authenticatorFor(ca, clock),
    removal,
  });
  actor.send({ type: 'SIGN_IN', address: ADDRESS });
  await waitForRoute(actor, 'card-detected');
  actor.send({ type: 'OK' });
  await waitForRoute(actor, 'pin');
  actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
  await waitForRoute(actor, 'signed-in');
  return { actor, card, physical, reader };
}

describe('stopping the actor', () => {
  it.each(['physical', 'virtual'] as const)(
    '%s card: actor.stop() while signed in logs the card out',
    async (kind) => {
      const { card, reader } = await enrolledCard(ca, kind, { pin: TEST_PIN });
      const actor = startSignIn(
        reader === null
          ? { method: 'smart-card', card, server: authenticatorFor(ca, clock) }
          : { method: 'smart-card', reader, server: authenticatorFor(ca, clock) },
      );
      actor.send({ type: 'SIGN_IN', address: ADDRESS });
      if (reader !== null) {
        await waitForRoute(actor, 'card-detected');
        actor.send({ type: 'OK' });
      }
      await waitForRoute(actor, 'pin');
      actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
      await waitForRoute(actor, 'signed-in');
      expect((await card.info()).pinVerified).toBe(true);
      actor.stop();
      await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
    },
  );
});

describe('card removal while signed in', () => {
  it("'no-action': the session goes on and says the card was removed", async () => {
    const { actor, physical, reader } = await signedInWithPhysicalCard('no-action');
    reader.remove();
    let view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'signed-in', status: 'input' });
    expect(view.notice?.key).toBe('card-removed');
    reader.insert(physical);
    view = viewSignIn(actor.getSnapshot());
    expect(view.notice).toBeNull();
    actor.stop();
  });

  it("'lock': the session locks; another card is refused; the PIN unlocks it", async () => {
    const { actor, physical, reader } = await signedInWithPhysicalCard('lock');
    reader.remove();
    let view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'locked', status: 'input' });
    expect(view.prompt.key).toBe('card-removed-locked');
    expect(view.can({ type: 'PIN.SUBMIT', pin: Secret.from('x') })).toBe(false);
    expect(view.can({ type: 'SIGN_OUT' })).toBe(true);
    const { physical: other, reader: its } = await enrolledCard(ca, 'physical', { pin: TEST_PIN });
    if (other === null) throw new Error('no card');
    its?.remove();
    reader.insert(other);
    expect(viewSignIn(actor.getSnapshot()).notice?.key).toBe('wrong-card');
    reader.remove();
    reader.insert(physical);
    view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'locked' });
    expect(view.prompt.key).toBe('pin-prompt');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from('wrong-pin1') });
    view = await waitForRoute(actor, 'locked');
    expect(view.notice?.key).toBe('pin-wrong');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    view = await waitForRoute(actor, 'signed-in');
    expect(view.user?.address).toBe(ADDRESS);
    actor.stop();
  });

  it("'lock': a PIN check that passes after the card was pulled does not unlock", async () => {
    // A token that does not notice its removal mid-check (as PKCS#11 tokens may not) answers
    // "verified" after the card is out: the machine must stay locked.
    const { physical, reader } = await enrolledCard(ca, 'physical', { pin: TEST_PIN });
    if (physical === null || reader === null) throw new Error('no reader');
    let release: () => void = () => undefined;
    const checked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let unlocking = false;
    const machine = createSignInMachine({
      method: 'smart-card',
      reader,
      server: authenticatorFor(ca, clock),
      rpId: RP_ID,
      removal: 'lock',
    }).provide({
      actors: {
        verifyPin: fromPromise<CardPinVerifyResult, SignInActorInput<'verifyPin'>>(
          async ({ input }) => {
            if (!unlocking) return input.card?.verifyPin(TEST_PIN) ?? { status: 'blocked' };
            await checked;
            return { status: 'verified', mustChange: false };
          },
        ),
      },
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'card-detected');
    actor.send({ type: 'OK' });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    reader.remove();
    reader.insert(physical);
    unlocking = true;
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    expect(viewSignIn(actor.getSnapshot())).toMatchObject({ route: 'locked', status: 'busy' });
    reader.remove();
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'locked', status: 'input' });
    expect(view.prompt.key).toBe('card-removed-locked');
    actor.stop();
  });

  it("'sign-out': the session ends and the sign-in screen says why", async () => {
    const { actor, card, reader } = await signedInWithPhysicalCard('sign-out');
    reader.remove();
    const view = await waitForRoute(actor, 'sign-in');
    expect(view.notice?.key).toBe('card-removed-signed-out');
    expect(view.user).toBeNull();
    expect(view.address).toBe(ADDRESS);
    expect((await card.info().catch(() => null))?.pinVerified ?? false).toBe(false);
    actor.stop();
  });

  it('a card removed during PIN entry sends the user back to insert it', async () => {
    const { physical, reader } = await enrolledCard(ca, 'physical', { pin: TEST_PIN });
    if (physical === null || reader === null) throw new Error('no reader');
    const actor = startSignIn({
      method: 'smart-card',
      reader,
      server: authenticatorFor(ca, clock),
    });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'card-detected');
    actor.send({ type: 'OK' });
    await waitForRoute(actor, 'pin');
    reader.remove();
    expect(viewSignIn(actor.getSnapshot()).route).toBe('insert-card');
    reader.insert(physical);
    expect(viewSignIn(actor.getSnapshot()).route).toBe('card-detected');
    actor.stop();
  });
});

describe('cancel and timeouts', () => {
  it('waiting for a card times out on the machine clock', async () => {
    const reader = new SimulatedReader();
    const simulated = new SimulatedClock();
    const actor = createActor(
      createSignInMachine({
        method: 'smart-card',
        reader,
        server: authenticatorFor(ca, clock),
        cardWaitTimeoutMs: 30_000,
      }),
      { clock: simulated },
    ).start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    expect(viewSignIn(actor.getSnapshot()).route).toBe('insert-card');
    simulated.increment(29_999);
    expect(viewSignIn(actor.getSnapshot()).route).toBe('insert-card');
    simulated.increment(1);
    const view = viewSignIn(actor.getSnapshot());
    expect(view.route).toBe('sign-in');
    expect(view.notice?.key).toBe('card-wait-timed-out');
    actor.stop();
  });

  it('a server that never answers is stopped by the operation timeout, and its signal aborted', async () => {
    const { card } = await enrolledCard(ca, 'virtual', { pin: TEST_PIN });
    let aborted = false;
    const simulated = new SimulatedClock();
    const actor = createActor(
      createSignInMachine({
        method: 'smart-card',
        card,
        rpId: RP_ID,
        operationTimeoutMs: 10_000,
        server: {
          challenge: (_request, options) =>
            new Promise((_resolve, reject) => {
              options?.signal?.addEventListener('abort', () => {
                aborted = true;
                reject(new Error('aborted'));
              });
            }),
          verify: async () => ({ verified: false, reason: 'never' }),
        },
      }),
      { clock: simulated },
    ).start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await expect.poll(() => viewSignIn(actor.getSnapshot()).route).toBe('signing-in');
    expect(viewSignIn(actor.getSnapshot()).status).toBe('busy');
    simulated.increment(10_000);
    const view = viewSignIn(actor.getSnapshot());
    expect(view.route).toBe('sign-in');
    expect(view.notice?.key).toBe('timed-out');
    expect(aborted).toBe(true);
    await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
    actor.stop();
  });

  it('CANCEL while signing in stops the step and logs the card out', async () => {
    const { card } = await enrolledCard(ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: {
        challenge: () => new Promise(() => undefined),
        verify: async () => ({ verified: false, reason: 'never' }),
      },
    });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await expect.poll(() => viewSignIn(actor.getSnapshot()).route).toBe('signing-in');
    expect(viewSignIn(actor.getSnapshot()).can({ type: 'CANCEL' })).toBe(true);
    actor.send({ type: 'CANCEL' });
    const view = viewSignIn(actor.getSnapshot());
    expect(view.route).toBe('sign-in');
    expect(view.notice?.key).toBe('cancelled');
    await expect.poll(async () => (await card.info()).pinVerified).toBe(false);
    actor.stop();
  });
});

/**
 * Every string reachable from `root` through own properties, arrays, maps and sets: what an
 * inspector or a logger walking the object could print.
 */
function reachableStrings(root: unknown, found = new Set<string>()): Set<string> {
  const visited = new WeakSet<object>();
  const queue: unknown[] = [root];
  while (queue.length > 0) {
    const value = queue.pop();
    if (typeof value === 'string') {
      found.add(value);
    } else if (typeof value === 'object' && value !== null) {
      if (visited.has(value)) continue;
      visited.add(value);
      if (value instanceof Map) queue.push(...value.keys(), ...value.values());
      else if (value instanceof Set) queue.push(...value);
      else {
        for (const key of Reflect.ownKeys(value)) {
          // The machine definition and the actor system are the same objects everywhere.
          if (key === 'machine' || key === 'logic' || key === 'system') continue;
          const descriptor = Object.getOwnPropertyDescriptor(value, key);
          if (descriptor !== undefined && 'value' in descriptor) queue.push(descriptor.value);
        }
      }
    }
  }
  return found;
}

describe('secrets', () => {
  it('no PIN, new PIN or PUK appears in snapshots, persisted snapshots or inspection events', async () => {
    const { card } = await enrolledCard(ca, 'virtual', { pin: 'Cur#9876' });
    await card.verifyPin('Cur#9876');
    await card.requirePinChange();
    await card.logout();
    const secrets = ['Cur#9876', 'Zq8#wPin', 'Zq8#wPiX'];
    const seen = new Set<string>();
    const actor = createActor(
      createSignInMachine({
        method: 'smart-card',
        card,
        rpId: RP_ID,
        server: authenticatorFor(ca, clock),
      }),
      { inspect: (event) => reachableStrings(event, seen) },
    );
    actor.subscribe((s) => {
      reachableStrings(s, seen);
      seen.add(JSON.stringify(s.context, (k, v) => (k === 'card' ? undefined : v)));
    });
    actor.start();
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'change-pin');
    actor.send({
      type: 'PIN.CHANGE',
      current: Secret.from('Cur#9876'),
      next: Secret.from('Zq8#wPin'),
      confirm: Secret.from('Zq8#wPiX'),
    });
    await waitForRoute(actor, 'change-pin');
    actor.send({
      type: 'PIN.CHANGE',
      current: Secret.from('Cur#9876'),
      next: Secret.from('Zq8#wPin'),
      confirm: Secret.from('Zq8#wPin'),
    });
    await waitForRoute(actor, 'signed-in');
    reachableStrings(actor.getPersistedSnapshot(), seen);
    actor.stop();
    const texts = [...seen];
    expect(texts).toContain('PIN.CHANGE');
    for (const secret of secrets) {
      expect(texts.filter((text) => text.includes(secret))).toEqual([]);
    }
  });

  it('a Secret is read once: replaying the same event cannot spend another attempt', async () => {
    const { card } = await enrolledCard(ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({ method: 'smart-card', card, server: authenticatorFor(ca, clock) });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    const wrong = { type: 'PIN.SUBMIT', pin: Secret.from('wrong-pin1') } as const;
    actor.send(wrong);
    await waitForRoute(actor, 'pin');
    const before = (await card.pinStatus()).attemptsRemaining;
    actor.send(wrong);
    const view = await waitForRoute(actor, 'sign-in');
    expect(view.error?.code).toBe('ERR_INVALID_INPUT');
    expect((await card.pinStatus()).attemptsRemaining).toBe(before);
    actor.stop();
  });

  it('Secret prints, serialises and inspects as [Secret]', () => {
    const secret = Secret.from('hunter22');
    expect(String(secret)).toBe('[Secret]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[Secret]"}');
    expect(inspect({ secret })).not.toContain('hunter22');
    expect(Object.keys(secret)).toEqual([]);
    expect(structuredClone(secret)).toEqual({});
    expect(() => Secret.from(1234 as unknown as string)).toThrow(/string/);
  });
});

describe('stored sign-in information', () => {
  it('a slow save of the address cannot land after Sign out deleted it', async () => {
    const { card } = await enrolledCard(ca, 'virtual', { pin: TEST_PIN });
    const saved: string[] = [];
    let stored: string | undefined;
    const signInInfo = {
      load: async () => (stored === undefined ? undefined : { address: stored }),
      save: async (info: { address: string }) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stored = info.address;
        saved.push(info.address);
      },
      delete: async () => {
        stored = undefined;
      },
    };
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(ca, clock),
      signInInfo,
    });
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    actor.send({ type: 'SIGN_OUT', deleteSignInInfo: true });
    await waitForRoute(actor, 'sign-in');
    await expect.poll(() => saved).toEqual([ADDRESS]);
    expect(stored).toBeUndefined();
    actor.stop();
  });
});

describe('failures that do not end a session', () => {
  it('a store that cannot save the address leaves the user signed in, with the error shown', async () => {
    const { card } = await enrolledCard(ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(ca, clock),
      signInInfo: {
        load: async () => undefined,
        save: async () => {
          throw new StorageError('The disk is full.');
        },
        delete: async () => undefined,
      },
    });
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    await expect.poll(() => viewSignIn(actor.getSnapshot()).error?.code).toBe('ERR_STORAGE');
    expect(actor.getSnapshot().status).toBe('active');
    expect(viewSignIn(actor.getSnapshot()).route).toBe('signed-in');
    actor.stop();
  });
});

describe('many machines, each with its options', () => {
  it('each machine keeps its own options, also through provide()', async () => {
    const make = (who: string) =>
      createSignInMachine({
        method: 'password',
        locale: who === 'alice' ? 'en' : 'zh-TW',
        verifyPassword: async ({ address }) => ({ verified: true, user: { address, name: who } }),
      });
    const alice = make('alice');
    const bob = make('bob');
    const carol = bob.provide({});
    const run = async (machine: ReturnType<typeof make>, address: string) => {
      const actor = createActor(machine).start();
      await waitForRoute(actor, 'sign-in');
      actor.send({ type: 'SIGN_IN', address });
      await waitForRoute(actor, 'password');
      actor.send({ type: 'PASSWORD.SUBMIT', password: Secret.from('pw') });
      const view = await waitForRoute(actor, 'signed-in');
      actor.stop();
      return view;
    };
    const [a, b, c] = await Promise.all([
      run(alice, 'alice@contoso.com'),
      run(bob, 'bob@contoso.com'),
      run(carol, 'carol@contoso.com'),
    ]);
    expect([a.user?.name, a.locale]).toEqual(['alice', 'en']);
    expect([b.user?.name, b.locale]).toEqual(['bob', 'zh-TW']);
    expect([c.user?.name, c.locale]).toEqual(['bob', 'zh-TW']);
  });
});

describe('options', () => {
  it('refuses options that do not fit the method', () => {
    const server = authenticatorFor(ca, clock);
    expect(() => createSignInMachine({ method: 'password' })).toThrow(/verifyPassword/);
    expect(() => createSignInMachine({ method: 'smart-card', server })).toThrow(/reader/);
    expect(() =>
      createSignInMachine({ method: 'smart-card', reader: new SimulatedReader() }),
    ).toThrow(/server/);
    expect(() =>
      createSignInMachine({
        method: 'smart-card',
        reader: new SimulatedReader(),
        server,
        removal: 'eject' as RemovalPolicy,
      }),
    ).toThrow(/removal/);
    expect(() =>
      createSignInMachine({
        method: 'smart-card',
        reader: new SimulatedReader(),
        server,
        cardWaitTimeoutMs: 0,
      }),
    ).toThrow(/cardWaitTimeoutMs/);
    for (const rpId of ['', 'a\0b', 7]) {
      expect(() =>
        createSignInMachine({
          method: 'smart-card',
          reader: new SimulatedReader(),
          server,
          rpId: rpId as string,
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
    }
  });

  it('outside a browser, smart card sign-in without rpId fails before the card signs', async () => {
    const { card } = await enrolledCard(ca, 'virtual', { pin: TEST_PIN });
    const sign = vi.spyOn(card, 'sign');
    const actor = createActor(
      createSignInMachine({ method: 'smart-card', card, server: authenticatorFor(ca, clock) }),
    ).start();
    try {
      actor.send({ type: 'SIGN_IN', address: ADDRESS });
      await waitForRoute(actor, 'pin');
      actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
      const view = await waitForRoute(actor, 'sign-in');
      expect(view.error?.code).toBe('ERR_INVALID_INPUT');
      expect(view.error?.message).toMatch(/rpId/);
      expect(sign).not.toHaveBeenCalled();
    } finally {
      sign.mockRestore();
      actor.stop();
    }
  });

  it('speaks the locale it was given', async () => {
    const actor = startSignIn({
      method: 'password',
      locale: 'ko-KR',
      verifyPassword: async () => ({ verified: false }),
    });
    const view = await waitForRoute(actor, 'sign-in');
    expect(view.locale).toBe('ko-KR');
    expect(view.prompt.text).toMatch(/로그인 주소/);
    actor.stop();
  });
});
