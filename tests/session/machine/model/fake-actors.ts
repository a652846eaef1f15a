/**
 * The live replay's machines: each variant's machine with every actor replaced by a fake that the
 * replay settles as the path says, after checking the secrets it was handed.
 */
import { fromCallback, fromPromise, type InputFrom } from 'xstate';
import {
  createSignInMachine,
  type SignInActors,
  type SignInMachine,
} from '../../../../src/session/index.js';
import { takeSecret } from '../../../../src/session/machine/secret.js';
import type { ActorId } from './actor-outcomes.js';
import { markSearched, SECRET_VALUES } from './secrets.js';
import type { Variant } from './variants.js';

export interface Settler {
  resolve(output: unknown): void;
  reject(error: unknown): void;
}

/** What one live run collects: the fakes' pending steps and what went wrong. */
export interface Run {
  readonly pending: Map<string, Settler>;
  readonly problems: string[];
}

type Fake<K extends ActorId> = SignInActors[K];

export interface Harness {
  readonly machine: SignInMachine;
  run: Run;
}

/**
 * The variant's machine with every actor replaced by a fake: promise actors that stay pending
 * until the replay settles them as the path says (after checking the secrets they were handed),
 * and a card watcher that does nothing (the path's card events are sent directly).
 */
export function harness(variant: Variant): Harness {
  const state: { run: Run } = { run: { pending: new Map(), problems: [] } };
  const expectSecret = (what: string, secret: unknown, value: string) => {
    let read: string;
    try {
      read = takeSecret(secret, what);
    } catch (error) {
      state.run.problems.push(`${what}: not handed a fresh Secret (${String(error)})`);
      return;
    }
    if (read !== value) state.run.problems.push(`${what}: handed the wrong secret`);
  };
  function fake<K extends ActorId>(
    id: K,
    check: (input: InputFrom<Fake<K>>) => void = () => undefined,
  ): Fake<K> {
    const logic = fromPromise<unknown, InputFrom<Fake<K>>>(({ input }) => {
      check(input);
      const { pending } = state.run;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
      });
    });
    return logic as unknown as Fake<K>;
  }
  const actors = {
    loadSignInInfo: fake('loadSignInInfo'),
    deleteSignInInfo: fake('deleteSignInInfo'),
    rememberSignIn: fake('rememberSignIn'),
    verifyPassword: fake('verifyPassword', (input) =>
      expectSecret('verifyPassword password', input.password, SECRET_VALUES.password),
    ),
    watchCard: fromCallback(() => undefined) as unknown as Fake<'watchCard'>,
    readCard: fake('readCard'),
    verifyPin: fake('verifyPin', (input) =>
      expectSecret('verifyPin pin', input.pin, SECRET_VALUES.pin),
    ),
    changePin: fake('changePin', (input) => {
      expectSecret('changePin current', input.current, SECRET_VALUES.current);
      expectSecret('changePin next', input.next, SECRET_VALUES.next);
      expectSecret('changePin confirm', input.confirm, SECRET_VALUES.confirm);
    }),
    unblockPin: fake('unblockPin', (input) => {
      expectSecret('unblockPin credential', input.credential, SECRET_VALUES.credential);
      expectSecret('unblockPin next', input.next, SECRET_VALUES.next);
      expectSecret('unblockPin confirm', input.confirm, SECRET_VALUES.confirm);
    }),
    authenticate: fake('authenticate'),
    endSession: fake('endSession'),
  } satisfies SignInActors;
  const machine = createSignInMachine(variant.options).provide({ actors });
  const found = markSearched(machine);
  if (found !== null) state.run.problems.push(`the machine definition holds a secret at ${found}`);
  return {
    machine,
    get run() {
      return state.run;
    },
    set run(run: Run) {
      state.run = run;
    },
  };
}
