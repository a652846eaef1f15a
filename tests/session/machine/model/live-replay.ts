/**
 * The live replay: a path of the traversal run on a live actor of a fake-actor harness, on a
 * simulated clock, compared with the model at every step; and the paths worth replaying.
 */
import { createActor, type InspectionEvent, SimulatedClock } from 'xstate';
import { type SignInEvent, viewSignIn } from '../../../../src/session/index.js';
import type { Harness, Run, Settler } from './fake-actors.js';
import { labelOf, offersByLabel } from './offers.js';
import { findSecret } from './secrets.js';
import type { Path } from './snapshot-types.js';
import { type Edge, type Model, serializeState } from './traversal.js';
import { CARD_WAIT_MS, OPERATION_MS } from './variants.js';

async function flush(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Whether a live run can produce every step of `path` (a callback actor cannot fail later). */
function replayable(path: Path): boolean {
  return path.steps.every((step) => !step.event.type.endsWith('.actor.watchCard'));
}

/**
 * Replays `path` on a live actor of `harness`'s machine, step by step, comparing the live state
 * and route with the model's after each one; returns the problems and the inspection events seen.
 */
export async function replay(
  h: Harness,
  path: Path,
): Promise<{ problems: string[]; inspected: number }> {
  const run: Run = { pending: new Map(), problems: [] };
  h.run = run;
  let inspected = 0;
  const clock = new SimulatedClock();
  const actor = createActor(h.machine, {
    clock,
    inspect: (event: InspectionEvent) => {
      inspected++;
      const found = findSecret(event);
      if (found !== null) run.problems.push(`inspection event ${event.type}: a secret at ${found}`);
    },
  });
  actor.subscribe({ error: () => undefined });
  actor.start();
  await flush();
  const trail: string[] = [];
  const settle = (id: string, how: (settler: Settler) => void) => {
    const settler = run.pending.get(id);
    run.pending.delete(id);
    if (settler === undefined) run.problems.push(`${trail.join(' → ')}: ${id} is not running`);
    else how(settler);
  };
  for (const { event, state } of path.steps) {
    const label = labelOf(event);
    trail.push(label);
    if (event.type === 'xstate.init') {
      // The initial state: nothing to do.
    } else if (event.type.startsWith('xstate.after.')) {
      clock.increment(
        event.type.startsWith('xstate.after.cardWait.') ? CARD_WAIT_MS : OPERATION_MS,
      );
    } else if (event.type.startsWith('xstate.done.actor.')) {
      const output = (event as { output?: unknown }).output;
      settle(event.type.slice('xstate.done.actor.'.length), (s) => s.resolve(output));
    } else if (event.type.startsWith('xstate.error.actor.')) {
      const error = (event as { error?: unknown }).error;
      settle(event.type.slice('xstate.error.actor.'.length), (s) => s.reject(error));
    } else {
      const offer = offersByLabel.get(label);
      actor.send((offer?.make() ?? event) as SignInEvent);
    }
    await flush();
    const live = actor.getSnapshot();
    const liveKey = JSON.stringify([live.value, live.status]);
    const modelKey = JSON.stringify([state.value, state.status]);
    if (liveKey !== modelKey) {
      run.problems.push(`${trail.join(' → ')}: live ${liveKey}, model ${modelKey}`);
      break;
    }
    if (viewSignIn(live).route !== viewSignIn(state).route) {
      run.problems.push(`${trail.join(' → ')}: the live route differs from the model's`);
      break;
    }
  }
  actor.stop();
  return { problems: run.problems, inspected };
}

/** `edge` taken at the end of the shortest path to its source. */
export function pathThrough(m: Model, edge: Edge): Path | null {
  const head = m.paths.get(serializeState(edge.from));
  if (head === undefined) return null;
  return {
    state: edge.to,
    steps: [...head.steps, { event: edge.event, state: edge.to }],
    weight: head.weight + 1,
  };
}

/**
 * The paths replayed live: the shortest path to every state of the traversal, the shortest way to
 * take each declared transition, and to each actor failure the machine leaves unhandled.
 */
export function replayedPaths(m: Model): Path[] {
  const byTransition = new Map<string, Edge>();
  for (const edge of m.edges) {
    for (const key of edge.taken) if (!byTransition.has(key)) byTransition.set(key, edge);
    if (edge.to.status === 'error') byTransition.set(`${labelOf(edge.event)} fails`, edge);
  }
  const candidates = [
    ...m.paths.values(),
    ...[...byTransition.values()].flatMap((edge) => pathThrough(m, edge) ?? []),
  ];
  const unique = new Map<string, Path>();
  for (const path of candidates.filter(replayable)) {
    unique.set(path.steps.map((step) => labelOf(step.event)).join(' → '), path);
  }
  return [...unique.values()];
}
