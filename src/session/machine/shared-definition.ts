import type { AnyStateMachine } from 'xstate';

/** The implementations `machine.provide()` takes. */
type Implementations<M extends AnyStateMachine> = Parameters<M['provide']>[0];

/**
 * `definition.provide(implementations)` without a new state tree, and with its own initial
 * context: a machine whose state nodes, transitions and ids are the definition's, whose guards,
 * actions, actors and delays are the definition's overridden by `implementations`, and whose
 * initial context is `context`.
 *
 * XState's own `provide()` builds every state node again (a tree of some 90 KB for the sign-in
 * machine); this one costs an object and a few bound methods. It relies on what `provide()` does
 * in XState v5: a machine reads its implementations and initial context from itself (`this`, and
 * the snapshots it makes, whose `machine` is `this`), never from its state nodes, which only give
 * the structure. `provide()` on the result works as usual (a full copy, context kept).
 *
 * @category Client
 */
export function provideSharingStates<M extends AnyStateMachine>(
  definition: M,
  implementations: Implementations<M>,
  context: M['config']['context'],
): M {
  const machine = Object.create(definition) as M;
  const own = definition.implementations;
  const provided = implementations as Partial<typeof own>;
  Object.assign(machine, {
    config: { ...definition.config, context },
    implementations: {
      actions: { ...own.actions, ...provided.actions },
      guards: { ...own.guards, ...provided.guards },
      actors: { ...own.actors, ...provided.actors },
      delays: { ...own.delays, ...provided.delays },
    },
  });
  // The methods a machine binds to itself (transition, getInitialSnapshot, ...), bound to this one.
  const prototype = Object.getPrototypeOf(definition) as Record<string, unknown>;
  for (const key of Object.keys(definition)) {
    const method = prototype[key];
    if (typeof method === 'function') {
      (machine as unknown as Record<string, unknown>)[key] = method.bind(machine);
    }
  }
  return machine;
}
