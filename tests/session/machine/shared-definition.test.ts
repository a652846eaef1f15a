import { describe, expect, it, vi } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import {
  createSignInMachine,
  MemorySignInInfoStore,
  Secret,
  type SignInMachineOptions,
  type SignInServer,
  viewSignIn,
} from '../../../src/session/index.js';
import { waitForRoute } from '../../../src/testing/index.js';
import { TEST_PIN } from '../../support/cards.js';
import { signInPkiBeforeAll } from '../support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, RP_ID } from '../support/sign-in.js';

/**
 * The machine definition is built once for every createSignInMachine call: a call provides its
 * options' actors, guards and action over the shared state tree. Nothing of the options but
 * their plain values (method, removal, locale, timeouts) reaches the context, a snapshot, a
 * persisted snapshot or an inspection event, and a persisted snapshot restores with another
 * machine made of options of the same kind.
 */
const pki = signInPkiBeforeAll();

const MARKER = 'app-option-marker-7f3a';

/** Every object and string reachable from `root` (own properties, Map and Set entries). */
function reachable(root: unknown, found: Set<unknown>, visited: WeakSet<object>): void {
  const queue: unknown[] = [root];
  while (queue.length > 0) {
    const value = queue.pop();
    if (typeof value === 'string') {
      found.add(value);
      continue;
    }
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
    found.add(value);
    if (visited.has(value)) continue;
    visited.add(value);
    if (value instanceof Map) queue.push(...value.keys(), ...value.values());
    else if (value instanceof Set) queue.push(...value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor !== undefined && 'value' in descriptor) queue.push(descriptor.value);
    }
  }
}

/** Options whose every part but the card is recognisable: by identity, and by a marker string. */
function markedOptions(card: NonNullable<SignInMachineOptions['card']>) {
  const authenticator = authenticatorFor(pki.ca, pki.clock);
  const server: SignInServer & { readonly marker: string } = {
    marker: MARKER,
    challenge: (request) => authenticator.challenge(request),
    verify: (response) => authenticator.verify(response),
  };
  const signInInfo = Object.assign(new MemorySignInInfoStore(), { marker: MARKER });
  const endSession = vi.fn(async () => undefined);
  const options = {
    method: 'smart-card',
    card,
    server,
    rpId: RP_ID,
    signInInfo,
    endSession,
    locale: 'zh-TW',
    removal: 'lock',
    operationTimeoutMs: 45_678,
  } satisfies SignInMachineOptions;
  return { options, parts: [options, server, signInInfo, endSession] as const };
}

describe('one machine definition for every createSignInMachine call', () => {
  it('shares the state tree; each machine has its own context and implementations', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const a = createSignInMachine(markedOptions(card).options);
    const b = createSignInMachine({ ...markedOptions(card).options, locale: 'ko-KR' });
    expect(a.root).toBe(b.root);
    expect(a.implementations.actors.authenticate).not.toBe(b.implementations.actors.authenticate);
    expect(createActor(a).getSnapshot().context.locale).toBe('zh-TW');
    expect(createActor(b).getSnapshot().context.locale).toBe('ko-KR');
  });

  it("keeps the app's options out of context, snapshots, persisted snapshots and inspection events, and restores a persisted snapshot", async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const { options, parts } = markedOptions(card);
    const found = new Set<unknown>();
    const visited = new WeakSet<object>();
    const events: InspectionEvent[] = [];
    const actor = createActor(createSignInMachine(options), {
      inspect: (event) => events.push(event),
    });
    actor.subscribe((snapshot) => reachable(snapshot, found, visited));
    actor.start();
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    await waitForRoute(actor, 'signed-in');
    const persisted = actor.getPersistedSnapshot();
    reachable(persisted, found, visited);
    reachable(events, found, visited);
    actor.stop();

    expect(events.length).toBeGreaterThan(10);
    // The walk went through the snapshots into the machine, its actors and the system.
    expect(found.has(card)).toBe(true);
    expect(found.has('zh-TW')).toBe(true);
    for (const part of parts) expect(found.has(part)).toBe(false);
    expect([...found].filter((v) => typeof v === 'string' && v.includes(MARKER))).toEqual([]);
    const context = (persisted as unknown as { context: Record<string, unknown> }).context;
    expect(Object.keys(context).sort()).toEqual(Object.keys(actor.getSnapshot().context).sort());
    expect(context.operationTimeoutMs).toBe(45_678);

    // Restored with a machine made of new options of the same kind: it goes on signed in, and
    // its steps are the new options' (the new endSession is called, not the old one).
    const again = markedOptions(card);
    const restored = createActor(createSignInMachine(again.options), {
      snapshot: persisted,
    }).start();
    const view = viewSignIn(restored.getSnapshot());
    expect(view.route).toBe('signed-in');
    expect(view.user?.address).toBe(ADDRESS);
    restored.send({ type: 'SIGN_OUT' });
    await waitForRoute(restored, 'sign-in');
    expect(again.options.endSession).toHaveBeenCalledTimes(1);
    expect(options.endSession).not.toHaveBeenCalled();
    restored.stop();
  });
});
