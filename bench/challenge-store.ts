/**
 * Row 7: the challenge store under a flood. `MemoryChallengeStore`'s put and take with `open`
 * challenges outstanding, against the same on an empty store: the ratio is what a flood costs an
 * honest sign-in's challenge (1.00 when no step depends on how many are open). Then the puts
 * right after all `open` challenges expired at once (the 99.9th percentile of 10,000, so a
 * garbage collection pause does not decide it), against dropping them all in one step, as the
 * store's put did before: a put must not stall however many expire together.
 *
 * Run alone: `node --expose-gc --import tsx bench/challenge-store.ts [--smoke]`.
 */
import { pathToFileURL } from 'node:url';
import { MemoryChallengeStore, type StoredChallenge } from '../src/server/index.js';
import { median } from './harness.js';
import { type Row, renderTable } from './table.js';

/** How big a flood, and how many timed batches of `batch` put + take pairs. */
export interface ChallengeStorePlan {
  readonly open: number;
  readonly samples: number;
  readonly batch: number;
}

const TTL = 60_000;
const challenge = new Uint8Array(32);

function record(id: string, issuedAt: number): StoredChallenge {
  return { id, challenge, address: 'alice@contoso.test', issuedAt, expiresAt: issuedAt + TTL };
}

/** A store holding `open` challenges issued at time 0, with room for the timed ones. */
async function flooded(open: number, room: number): Promise<MemoryChallengeStore> {
  const store = new MemoryChallengeStore({ capacity: open + room });
  for (let i = 0; i < open; i++) await store.put(record(`flood-${i}`, 0), 0);
  return store;
}

/** Median ms of one put + take pair, over `samples` batches at time `now`. */
async function putTake(store: MemoryChallengeStore, plan: ChallengeStorePlan, now: number) {
  const times: number[] = [];
  let n = 0;
  for (let s = 0; s < plan.samples; s++) {
    const started = performance.now();
    for (let i = 0; i < plan.batch; i++) {
      const id = `honest-${now}-${n++}`;
      await store.put(record(id, now), now);
      if ((await store.take(id, now)).status !== 'taken') throw new Error('not taken');
    }
    times.push((performance.now() - started) / plan.batch);
  }
  return median(times);
}

export async function challengeStoreRows(plan: ChallengeStorePlan): Promise<Row[]> {
  const room = plan.samples * plan.batch + 1;
  const empty = await putTake(new MemoryChallengeStore({ capacity: room }), plan, 1);
  const loaded = await putTake(await flooded(plan.open, room), plan, 1);

  // Every flood challenge expires at TTL: time each of the puts that follow, one by one. The
  // reference is dropping them all in one step, as the store's put used to (a sweep does).
  const expiring = await flooded(plan.open, room);
  collectGarbage();
  const single: number[] = [];
  for (let i = 0; i < Math.min(room - 1, 10_000); i++) {
    const started = performance.now();
    await expiring.put(record(`after-${i}`, TTL), TTL);
    single.push(performance.now() - started);
  }
  await expiring.sweep(Number.POSITIVE_INFINITY);
  const swept = await flooded(plan.open, room);
  collectGarbage();
  const sweepStarted = performance.now();
  await swept.sweep(TTL);
  const sweepMs = performance.now() - sweepStarted;
  const flood = plan.open.toLocaleString('en');
  return [
    {
      group: '7',
      name: `challenge put + take, ${flood} open ÷ none open`,
      ours: loaded,
      reference: empty,
      unit: 'ms',
      target: { max: 3 },
    },
    {
      group: '7',
      name: `put as ${flood} expire (99.9th pct) ÷ dropping them at once`,
      ours: percentile(single, 0.999),
      reference: sweepMs,
      unit: 'ms',
      target: { max: 0.05 },
    },
  ];
}

/** A full collection before a timed part, when node runs with --expose-gc (as bench/main.ts does). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const smoke = process.argv.includes('--smoke');
  const plan = smoke
    ? { open: 100_000, samples: 5, batch: 200 }
    : { open: 1_000_000, samples: 30, batch: 1_000 };
  console.log(renderTable(await challengeStoreRows(plan)));
}
