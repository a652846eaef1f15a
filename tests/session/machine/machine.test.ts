import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  createSignInMachine,
  MemorySignInInfoStore,
  Secret,
  viewSignIn,
} from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, startSignIn } from '../support/sign-in.js';

/** The Lync / Skype for Business sign-in procedures, each a scenario through the machine with real cards. */
const pki = signInPkiBeforeAll();

const pin = (value: string) => Secret.from(value);

describe('smart card sign-in (with a physical or a virtual card)', () => {
  it('physical card: address pre-filled, insert, OK, wrong PIN, PIN, signed in', async () => {
    const { card, physical, reader } = await enrolledCard(pki.ca, 'physical', { pin: TEST_PIN });
    if (reader === null || physical === null) throw new Error('no reader');
    reader.remove();
    const signInInfo = new MemorySignInInfoStore();
    await signInInfo.save({ address: ADDRESS });
    const actor = startSignIn({
      method: 'smart-card',
      reader,
      server: authenticatorFor(pki.ca, pki.clock),
      signInInfo,
    });
    let view = await waitForRoute(actor, 'sign-in');
    expect(view.address).toBe(ADDRESS);
    expect(view.hints.map((h) => h.key)).toEqual([
      'smart-card-required',
      'delete-sign-in-info-recommended',
    ]);
    actor.send({ type: 'SIGN_IN' });
    view = await waitForRoute(actor, 'insert-card');
    expect(view.prompt.key).toBe('insert-card');
    reader.insert(physical);
    view = await waitForRoute(actor, 'card-detected');
    actor.send({ type: 'OK' });
    view = await waitForRoute(actor, 'pin');
    expect(view.attemptsRemaining).toBe(5);
    actor.send({ type: 'PIN.SUBMIT', pin: pin('wrong-pin1') });
    view = await waitForRoute(actor, 'pin');
    expect(view.notice?.key).toBe('pin-wrong');
    expect(view.notice?.text).toContain('4 attempts');
    expect(view.attemptsRemaining).toBe(4);
    actor.send({ type: 'PIN.SUBMIT', pin: pin(TEST_PIN) });
    view = await waitForRoute(actor, 'signed-in');
    expect(view.user?.address).toBe(ADDRESS);
    expect(view.card).toEqual({ id: card.id, kind: 'physical' });
    actor.stop();
  });

  it('virtual card: the insert step is skipped', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(pki.ca, pki.clock),
    });
    const routes: string[] = [];
    actor.subscribe((s) => routes.push(viewSignIn(s).route));
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: pin(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    expect(routes).not.toContain('insert-card');
    expect(routes).not.toContain('card-detected');
    actor.stop();
  });

  it('default PIN with forced change: mismatch, default refused, then changed and signed in', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { mustChange: true });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(pki.ca, pki.clock),
    });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    let view = await waitForRoute(actor, 'change-pin');
    expect(view.notice?.key).toBe('pin-change-default');
    actor.send({
      type: 'PIN.CHANGE',
      current: pin('12345678'),
      next: pin(TEST_PIN),
      confirm: pin('k7#Lm2pX'),
    });
    view = await waitForRoute(actor, 'change-pin');
    expect(view.notice?.key).toBe('pin-mismatch');
    actor.send({
      type: 'PIN.CHANGE',
      current: pin('12345678'),
      next: pin('12345678'),
      confirm: pin('12345678'),
    });
    view = await waitForRoute(actor, 'change-pin');
    expect(view.violations.map((v) => v.key)).toContain('pin-policy-default-pin');
    actor.send({
      type: 'PIN.CHANGE',
      current: pin('12345678'),
      next: pin(TEST_PIN),
      confirm: pin(TEST_PIN),
    });
    view = await waitForRoute(actor, 'signed-in');
    expect(view.user?.address).toBe(ADDRESS);
    expect(view.notice?.key).toBe('pin-changed');
    expect((await card.pinStatus()).mustChange).toBe(false);
    actor.stop();
  });

  it('blocked card: wrong PINs until blocked, unblock with the PUK, signed in', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', {
      pin: TEST_PIN,
      puk: '87654321',
      maxAttempts: 3,
    });
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(pki.ca, pki.clock),
    });
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: pin('wrong-pin1') });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: pin('wrong-pin1') });
    let view = await waitForRoute(actor, 'pin');
    expect(view.notice?.key).toBe('pin-last-attempt');
    actor.send({ type: 'PIN.SUBMIT', pin: pin('wrong-pin1') });
    view = await waitForRoute(actor, 'card-blocked');
    expect(view.unblockWith).toBe('puk');
    expect(view.can({ type: 'BACK' })).toBe(true);
    actor.send({ type: 'UNBLOCK' });
    view = await waitForRoute(actor, 'unblock');
    actor.send({
      type: 'UNBLOCK.SUBMIT',
      credential: pin('00000000'),
      next: pin(TEST_PIN),
      confirm: pin(TEST_PIN),
    });
    view = await waitForRoute(actor, 'unblock');
    expect(view.notice?.key).toBe('unblock-failed');
    actor.send({
      type: 'UNBLOCK.SUBMIT',
      credential: pin('87654321'),
      next: pin(TEST_PIN),
      confirm: pin(TEST_PIN),
    });
    view = await waitForRoute(actor, 'signed-in');
    expect(view.user?.address).toBe(ADDRESS);
    actor.stop();
  });
});

describe('leaving a session (File menu: Close, Sign out, Exit)', () => {
  it('Close keeps the session and counts notifications; restore; Sign out deleting sign-in info; Exit', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const signInInfo = new MemorySignInInfoStore();
    const ended: string[] = [];
    const actor = startSignIn({
      method: 'smart-card',
      card,
      server: authenticatorFor(pki.ca, pki.clock),
      signInInfo,
      endSession: async (user) => {
        ended.push(user.address);
      },
    });
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: pin(TEST_PIN) });
    let view = await waitForRoute(actor, 'signed-in');
    await expect.poll(() => signInInfo.load()).toEqual({ address: ADDRESS });
    expect(view.can('CLOSE')).toBe(true);
    expect(view.can('RESTORE')).toBe(false);
    expect(view.can('NOTIFICATION')).toBe(false);
    actor.send({ type: 'CLOSE' });
    expect(viewSignIn(actor.getSnapshot()).can('CLOSE')).toBe(false);
    expect(viewSignIn(actor.getSnapshot()).can('RESTORE')).toBe(true);
    actor.send({ type: 'NOTIFICATION' });
    actor.send({ type: 'NOTIFICATION' });
    view = viewSignIn(actor.getSnapshot());
    expect(view).toMatchObject({ route: 'signed-in', display: 'closed', unread: 2 });
    expect(view.prompt.key).toBe('display-closed');
    actor.send({ type: 'RESTORE' });
    expect(viewSignIn(actor.getSnapshot())).toMatchObject({ display: 'open', unread: 0 });
    actor.send({ type: 'SIGN_OUT', deleteSignInInfo: true });
    view = await waitForRoute(actor, 'sign-in');
    expect(view.address).toBe('');
    expect(view.user).toBeNull();
    expect(await signInInfo.load()).toBeUndefined();
    expect(ended).toEqual([ADDRESS]);
    expect((await card.info()).pinVerified).toBe(false);
    actor.send({ type: 'EXIT' });
    view = await waitForRoute(actor, 'exited');
    expect(view.status).toBe('done');
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('password sign-in where the organisation allows it', async () => {
    const actor = createActor(
      createSignInMachine({
        method: 'password',
        verifyPassword: async ({ address, password }) =>
          password === 'correct horse'
            ? { verified: true, user: { address, name: 'Alice' } }
            : { verified: false },
      }),
    ).start();
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: 'not an address' });
    expect(viewSignIn(actor.getSnapshot()).notice?.key).toBe('sign-in-address-invalid');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'password');
    actor.send({ type: 'PASSWORD.SUBMIT', password: pin('wrong') });
    const view = await waitForRoute(actor, 'password');
    expect(view.notice?.key).toBe('password-wrong');
    actor.send({ type: 'PASSWORD.SUBMIT', password: pin('correct horse') });
    expect((await waitForRoute(actor, 'signed-in')).user).toEqual({
      address: ADDRESS,
      name: 'Alice',
    });
    actor.stop();
  });
});
