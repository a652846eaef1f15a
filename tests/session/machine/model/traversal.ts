/**
 * The transitions the machine declares, and the traversal that records which of them each step
 * takes: a model per variant, with its states, edges and shortest paths.
 */
import {
  type ActorLogic,
  type AnyActorScope,
  type AnyEventObject,
  type AnyStateNode,
  type AnyTransitionDefinition,
  createActor,
  type InspectionEvent,
} from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import {
  createSignInMachine,
  isSignInAddress,
  type SignInEvent,
  type SignInMachine,
} from '../../../../src/session/index.js';
import { cached, labelOf, offers } from './offers.js';
import { markSearched, searched } from './secrets.js';
import type { Path, Snap } from './snapshot-types.js';
import type { Variant } from './variants.js';

/** Walks the machine's state nodes. */
function stateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => stateNodes(child))];
}

function transitionKey(
  source: AnyStateNode,
  eventType: string,
  t: AnyTransitionDefinition,
  index: number,
): string {
  const targets = t.target?.map((n) => `#${n.id}`).join(',') ?? '(stay)';
  return `#${source.id} --${eventType}[${index}]--> ${targets}`;
}

/** Every declared transition, by definition object, as a stable key. */
export function declaredTransitions(machine: SignInMachine): Map<AnyTransitionDefinition, string> {
  const keys = new Map<AnyTransitionDefinition, string>();
  for (const node of stateNodes(machine.root)) {
    for (const [eventType, list] of node.transitions) {
      list.forEach((t, i) => {
        keys.set(t, transitionKey(node, eventType, t, i));
      });
    }
    (node.always ?? []).forEach((t, i) => {
      keys.set(t, transitionKey(node, 'always', t, i));
    });
  }
  return keys;
}

/**
 * The key of a snapshot for the traversal: the state, and the parts of the context that a guard
 * or a later step of the same region reads. What only shows (notice, violations, attempts left,
 * error, refusal) is left out, or the state space would be the product of every message; those
 * are checked on every snapshot reached instead.
 */
export function serializeState(snapshot: Snap): string {
  const c = snapshot.context;
  const inSession = snapshot.matches('signedIn');
  const inCard = snapshot.matches('smartCard');
  const onSignInScreen = !inSession && !inCard && !snapshot.matches('password');
  const endingSession = snapshot.matches('signingOut') || snapshot.matches('exiting');
  return JSON.stringify([
    snapshot.value,
    snapshot.status,
    c.card?.id ?? null,
    inCard ? c.unblockWith : null,
    inSession ? [c.display, c.unread > 0] : null,
    onSignInScreen ? isSignInAddress(c.address) : null,
    endingSession ? [c.user !== null, c.deleteOnSignOut] : null,
  ]);
}

export interface Edge {
  readonly from: Snap;
  readonly event: AnyEventObject;
  readonly to: Snap;
  /** The declared transitions this step took (keys), eventless ones after it included. */
  readonly taken: readonly string[];
}

export interface Model {
  readonly variant: Variant;
  readonly machine: SignInMachine;
  readonly declared: Map<AnyTransitionDefinition, string>;
  readonly taken: Set<string>;
  readonly unknown: Set<string>;
  readonly states: readonly Snap[];
  readonly edges: readonly Edge[];
  /** The shortest path to each state of the traversal, by its key. */
  readonly paths: ReadonlyMap<string, Path>;
}

/** The declared transitions taken, by snapshot and then by the label of the event it took. */
type Taken = WeakMap<Snap, Map<string, readonly string[]>>;

/**
 * The machine as actor logic whose microsteps are recorded, through the inspection of a private
 * actor system: `taken` gives the declared transitions each event took from each snapshot (the
 * eventless ones after it included), and the initial snapshot's under the label `init`.
 */
function recordingLogic(
  machine: SignInMachine,
  declared: ReadonlyMap<AnyTransitionDefinition, string>,
  taken: Taken,
  unknown: Set<string>,
): ActorLogic<Snap, AnyEventObject, undefined> {
  const self = createActor(machine);
  let current: string[] = [];
  self.system.inspect((event: InspectionEvent) => {
    if (event.type !== '@xstate.microstep') return;
    for (const t of event._transitions) {
      const key = declared.get(t);
      if (key === undefined) unknown.add(`#${t.source.id} --${t.eventType}-->`);
      else current.push(key);
    }
  });
  const scope: AnyActorScope = {
    self,
    id: 'model',
    sessionId: 'model',
    logger: () => undefined,
    defer: () => undefined,
    emit: () => undefined,
    system: self.system,
    stopChild: () => undefined,
    actionExecutor: () => undefined,
  };
  // Every actor the traversal creates registers in this system; each is searched through the
  // snapshot that holds it, not through the system.
  searched.add(self.system);
  markSearched(machine);
  const initial = machine.getInitialSnapshot(scope);
  taken.set(initial, new Map([['init', current]]));
  return {
    transition: (snapshot, event) => {
      current = [];
      const next = machine.transition(snapshot, event as unknown as SignInEvent, scope);
      const from = taken.get(snapshot) ?? new Map<string, readonly string[]>();
      from.set(labelOf(event), current);
      taken.set(snapshot, from);
      return next;
    },
    getInitialSnapshot: () => initial,
    getPersistedSnapshot: (snapshot) => snapshot,
  };
}

const models = new Map<string, Model>();

export function model(variant: Variant): Model {
  const existing = models.get(variant.name);
  if (existing !== undefined) return existing;
  const machine = createSignInMachine(variant.options);
  const declared = declaredTransitions(machine);
  const takenFrom: Taken = new WeakMap();
  const unknown = new Set<string>();
  const logic = recordingLogic(machine, declared, takenFrom, unknown);
  const options = {
    events: (snapshot: Snap) => offers(snapshot).map(cached),
    serializeState,
    serializeEvent: labelOf,
    // A machine that stopped (exited, or failed) takes no more events.
    stopWhen: (snapshot: Snap) => snapshot.status !== 'active',
  };
  const adjacency = getAdjacencyMap(logic, options);
  const states = Object.values(adjacency).map((a) => a.state);
  const edges = Object.values(adjacency).flatMap((a) =>
    // The adjacency map's keys are branded strings, which Object.values does not see through.
    Object.values(a.transitions as Record<string, { event: AnyEventObject; state: Snap }>).map(
      (t): Edge => ({
        from: a.state,
        event: t.event,
        to: t.state,
        taken: takenFrom.get(a.state)?.get(labelOf(t.event)) ?? [],
      }),
    ),
  );
  const initial = states[0] === undefined ? undefined : takenFrom.get(states[0])?.get('init');
  const taken = new Set(initial ?? []);
  for (const edge of edges) for (const key of edge.taken) taken.add(key);
  const paths = new Map(
    getShortestPaths(logic, options).map((path) => [serializeState(path.state), path]),
  );
  const built: Model = { variant, machine, declared, taken, unknown, states, edges, paths };
  models.set(variant.name, built);
  return built;
}
