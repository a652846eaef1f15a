/**
 * Row 5: the heap of live sign-in actors, started and waiting at the sign-in screen, and the
 * heap after they stop and are dropped. Two ways to run many: one machine for all the actors
 * (`createSignInMachine` once; cards arrive through the reader), and a machine per actor (each
 * with its own options: `createSignInMachine` provides them over the one definition, whose state
 * tree all the machines share). A round of the same size runs first, so one-time costs
 * (compiled code, V8's hidden classes) are not counted as retained. Needs `--expose-gc`.
 */
import { type AnyActorRef, createActor } from 'xstate';
import type { SmartCard } from '../src/card/index.js';
import { createSignInMachine, type SignInServer } from '../src/session/index.js';
import { check } from './harness.js';
import type { Row } from './table.js';

const gc = (globalThis as { gc?: () => void }).gc;

async function settle(): Promise<number> {
  check(gc !== undefined, 'run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return process.memoryUsage().heapUsed;
}

/** Heap before, with `count` live actors, and after they stop, in bytes. */
async function round(make: () => AnyActorRef, count: number) {
  const before = await settle();
  let actors = Array.from({ length: count }, make);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const live = await settle();
  check(
    actors.every((actor) => actor.getSnapshot().status === 'active'),
    'every actor is running',
  );
  for (const actor of actors) actor.stop();
  actors = [];
  const after = await settle();
  return { before, live, after };
}

export async function memoryRows(
  card: SmartCard,
  server: SignInServer,
  counts: { readonly shared: number; readonly own: number },
): Promise<Row[]> {
  const options = { method: 'smart-card', card, server } as const;
  const machine = createSignInMachine(options);
  const shared = () => createActor(machine).start();
  const own = () => createActor(createSignInMachine(options)).start();
  const rows: Row[] = [];
  for (const [name, make, count] of [
    ['one machine for all', shared, counts.shared],
    ['a machine each', own, counts.own],
  ] as const) {
    await round(make, count); // warm-up
    const { before, live, after } = await round(make, count);
    const actors = `${count.toLocaleString('en')} actors`;
    rows.push(
      {
        group: '5',
        name: `heap per live sign-in actor, ${name} (${actors}) ÷ 20 KB`,
        ours: (live - before) / count / 1024,
        reference: 20,
        unit: 'KB',
        target: { below: 20 },
      },
      {
        group: '5',
        name: `heap retained per actor after they stop (${name}) ÷ 20 KB`,
        ours: (after - before) / count / 1024,
        reference: 20,
        unit: 'KB',
        target: { below: 1 },
      },
    );
  }
  return rows;
}
