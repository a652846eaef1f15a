/**
 * Model-based tests of the sign-in machine, with `xstate/graph` (getAdjacencyMap,
 * getShortestPaths).
 *
 * The model: ten machines from `createSignInMachine`: password; smart card with a reader under
 * each removal policy; smart card with a fixed virtual card; each with and without a sign-in info
 * store. In every reachable state the traversal offers every user event (valid, invalid and
 * pre-filled addresses; SIGN_OUT with and without deleting the sign-in information; ...), card
 * insertions and removals (ours, another physical card, a virtual card: removal in every state),
 * each outcome and each kind of failure of whichever actor is invoked there (wrong PIN with 2, 1
 * and unknown attempts left, blocked, must-change, default PIN, policy, mismatch, refusal, card
 * not enrolled; card removed, TPM lockout, PIN policy and foreign errors) and the delayed events
 * (`xstate.after.<delay>.<state id>`) of the active states. The traversal never runs an actor.
 * States are told apart by value and by the context a guard or later step reads (see
 * serializeState); what is only shown (notices, attempts left) is checked on every snapshot.
 *
 * Checked:
 * - every transition the machine declares (`on`, invoke done/error, `after`, `always`, each
 *   guarded branch) is taken at least once across the machines (recorded from the microsteps);
 * - every snapshot reached: a route, and prompt and notices with text in every locale; no Secret
 *   and no secret value in the context, its JSON, the snapshot or `util.inspect` of it;
 * - no dead ends; busy states take CANCEL (but for BUSY_WITHOUT_CANCEL) and end by their actor or
 *   the `operation` timeout; no actor failure fails the machine (UNHANDLED_ACTOR_FAILURES lists
 *   any that would; it is empty, and must stay so);
 * - card removal: ours goes back to the insert-card screen before sign-in and follows the removal
 *   policy after; anyone else's card (and a virtual card) changes nothing;
 * - live: the shortest path to every state of the traversal, and to each declared transition, is
 *   replayed on a live actor whose actors are fakes settled as the path says (time on a
 *   SimulatedClock); it reaches the same state and route at every step, each secret reaches the
 *   right actor, and no inspection event holds a secret value.
 */
import { describe, expect, it } from 'vitest';
import type { AnyEventObject } from 'xstate';
import { createSignInMachine, viewSignIn } from '../../../src/session/index.js';
import { harness } from './model/fake-actors.js';
import {
  atomicIds,
  BUSY_WITHOUT_CANCEL,
  describeSnapshot,
  snapshotProblems,
} from './model/invariants.js';
import { pathThrough, replay, replayedPaths } from './model/live-replay.js';
import { labelOf } from './model/offers.js';
import type { Path, Snap } from './model/snapshot-types.js';
import { declaredTransitions, type Edge, model, serializeState } from './model/traversal.js';
import { VARIANTS } from './model/variants.js';

// ---------------------------------------------------------------------------------------------
// The tests.

const DECLARED_KEYS = new Set(
  VARIANTS.flatMap((v) => [...declaredTransitions(createSignInMachine(v.options)).values()]),
);

/**
 * MACHINE BUG, reported to the lead and not fixed here (src/session/machine/machine.ts): these
 * invoked actors have no `onError`, so their failure fails the whole sign-in actor (XState
 * gives a parent an unhandled child error: snapshot status `'error'`, the actor stops). E.g. a
 * sign-in info store whose `save` rejects right after a successful sign-in, or a reader whose
 * `on()` throws. Remove each entry once the machine handles it; the test below then passes
 * with the entry gone and fails while it stays.
 */
const UNHANDLED_ACTOR_FAILURES: readonly string[] = [];

/** Which state node invokes the actor whose failure `event` reports. */
function invoker(snapshot: Snap, event: AnyEventObject): string {
  const id = event.type.replace(/^xstate\.error\.actor\./, '');
  const node = snapshot._nodes.find((n) => n.invoke.some((i) => i.id === id));
  return `${node?.id ?? '?'} invokes ${id}`;
}

function pathText(path: Path | null): string {
  return path === null ? '(no path)' : path.steps.map((step) => labelOf(step.event)).join(' → ');
}

describe('sign-in machine model (xstate/graph)', () => {
  it(`takes every one of the ${DECLARED_KEYS.size} declared transitions`, () => {
    const taken = new Set<string>();
    const unknown = new Set<string>();
    for (const variant of VARIANTS) {
      const m = model(variant);
      for (const key of m.taken) taken.add(key);
      for (const key of m.unknown) unknown.add(key);
    }
    expect([...unknown], 'transitions taken that the walk of the definition missed').toEqual([]);
    const missed = [...DECLARED_KEYS].filter((key) => !taken.has(key));
    expect(missed, `${DECLARED_KEYS.size} transitions, all covered`).toEqual([]);
  });

  it('checks every reachable snapshot: route, prompt and notices in every locale, no secrets', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const variant of VARIANTS) {
      const m = model(variant);
      for (const state of m.states) {
        checked++;
        problems.push(...snapshotProblems(state, true).map((p) => `${variant.name}: ${p}`));
      }
      for (const edge of m.edges) {
        checked++;
        const found = snapshotProblems(edge.to, false);
        const via = `${labelOf(edge.event)} in ${describeSnapshot(edge.from)}`;
        problems.push(...found.map((p) => `${variant.name}: ${p} (after ${via})`));
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect([...new Set(problems)], `${checked} snapshots`).toEqual([]);
  });

  it('leaves no actor failure unhandled but the known bugs', () => {
    const failures = new Map<string, string>();
    for (const variant of VARIANTS) {
      const m = model(variant);
      for (const edge of m.edges) {
        if (edge.to.status !== 'error') continue;
        const what = invoker(edge.from, edge.event);
        if (!failures.has(what)) {
          failures.set(what, `${variant.name}: ${pathText(pathThrough(m, edge))}`);
        }
      }
    }
    // Each failing path, for the report: a failure here names the shortest one.
    const paths = [...failures.entries()].map(([what, path]) => `${what} — ${path}`).sort();
    expect([...failures.keys()].sort(), paths.join('\n')).toEqual([...UNHANDLED_ACTOR_FAILURES]);
  });

  it('has no dead ends, and busy states can be cancelled or end by themselves', () => {
    const problems: string[] = [];
    const busyWithoutCancel = new Set<string>();
    for (const variant of VARIANTS) {
      const m = model(variant);
      const outgoing = new Map<Snap, Edge[]>();
      for (const edge of m.edges) {
        const list = outgoing.get(edge.from) ?? [];
        list.push(edge);
        outgoing.set(edge.from, list);
      }
      const leaves = (state: Snap, edge: Edge) =>
        edge.to.status === 'done' || JSON.stringify(edge.to.value) !== JSON.stringify(state.value);
      for (const state of m.states) {
        if (state.status !== 'active') continue;
        const where = `${variant.name}: ${describeSnapshot(state)}`;
        const edges = (outgoing.get(state) ?? []).filter((e) => e.to.status !== 'error');
        if (!edges.some((e) => leaves(state, e))) problems.push(`${where}: a dead end`);
        if (viewSignIn(state).status !== 'busy') continue;
        const timeout = edges.some(
          (e) => e.event.type.startsWith('xstate.after.operation.') && leaves(state, e),
        );
        if (!timeout) problems.push(`${where}: busy without an operation timeout`);
        const actorEnds = edges.some(
          (e) => /^xstate\.(done|error)\.actor\./.test(e.event.type) && leaves(state, e),
        );
        if (!actorEnds) problems.push(`${where}: busy, and no outcome of its actor leaves`);
        if (!state.can({ type: 'CANCEL' })) {
          for (const id of atomicIds(state)) busyWithoutCancel.add(id);
        }
      }
    }
    expect([...new Set(problems)]).toEqual([]);
    expect([...busyWithoutCancel].sort()).toEqual([...BUSY_WITHOUT_CANCEL].sort());
  });

  it('card removal: ours by the state and policy, anyone else’s changes nothing', () => {
    const problems: string[] = [];
    let ours = 0;
    let others = 0;
    for (const variant of VARIANTS) {
      const m = model(variant);
      const removal = variant.options.removal ?? 'no-action';
      for (const { from, event, to } of m.edges) {
        if (event.type !== 'CARD.REMOVED' || to.status === 'error') continue;
        const where = `${variant.name}: ${labelOf(event)} in ${describeSnapshot(from)}`;
        const card = from.context.card;
        const cardId = (event as { cardId?: string }).cardId;
        if (card === null || card.kind !== 'physical' || card.id !== cardId) {
          others++;
          if (serializeState(to) !== serializeState(from)) problems.push(`${where}: changed state`);
          continue;
        }
        ours++;
        const route = viewSignIn(to).route;
        if (from.matches('smartCard')) {
          if (!to.matches({ smartCard: 'waitingForCard' }) || to.context.card !== null) {
            problems.push(`${where}: not back to waiting for a card (${route})`);
          }
        } else if (from.matches({ signedIn: 'active' })) {
          const expected = { 'no-action': 'signed-in', lock: 'locked', 'sign-out': 'signing-out' }[
            removal
          ];
          if (route !== expected) problems.push(`${where}: ${route}, expected ${expected}`);
        } else if (from.matches({ signedIn: { locked: 'entry' } })) {
          if (!to.matches({ signedIn: { locked: 'waitingForCard' } })) {
            problems.push(`${where}: the locked PIN prompt stays without the card`);
          }
        }
      }
    }
    expect(ours).toBeGreaterThan(0);
    expect([...new Set(problems)], `${ours} removals of our card, ${others} of others`).toEqual([]);
  });

  it('replays the generated paths on live actors with fake actors and a simulated clock', async () => {
    const problems: string[] = [];
    let replayed = 0;
    let inspected = 0;
    for (const variant of VARIANTS) {
      const h = harness(variant);
      problems.push(...h.run.problems);
      for (const path of replayedPaths(model(variant))) {
        const result = await replay(h, path);
        replayed++;
        inspected += result.inspected;
        problems.push(...result.problems.map((p) => `${variant.name}: ${p}`));
      }
    }
    expect(replayed).toBeGreaterThan(VARIANTS.length * 50);
    expect(inspected).toBeGreaterThan(replayed);
    expect(problems, `${replayed} paths replayed, ${inspected} inspection events`).toEqual([]);
  });
});
