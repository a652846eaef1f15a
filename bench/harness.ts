/**
 * Timing for the bench: cases of one row run interleaved (A, B, C, then B, C, A, ...) so that
 * the machine's noise falls on all of them alike; each case's figure is the median of its
 * samples, taken after warm-up. Ratios of medians are the result; absolute times are context.
 */

/** How many samples to take and how many operations each sample times. */
export interface Plan {
  readonly warmup: number;
  readonly samples: number;
  /** Operations per sample (timed together, divided). */
  readonly batch: number;
}

/** One case's result: the median time of one operation, in ms. */
export interface Timing {
  readonly name: string;
  readonly ms: number;
}

/** An operation to time; it gets the operation's index (unique within the case). */
export type Operation = (index: number) => Promise<unknown> | unknown;

/** Times `cases` interleaved; returns each case's median ms per operation, in `cases` order. */
export async function timeCases(
  cases: Readonly<Record<string, Operation>>,
  plan: Plan,
): Promise<Record<string, number>> {
  const names = Object.keys(cases);
  const counters = new Map(names.map((name) => [name, 0]));
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  const run = async (name: string, record: boolean) => {
    const operation = cases[name] as Operation;
    let index = counters.get(name) ?? 0;
    const start = performance.now();
    for (let i = 0; i < plan.batch; i++) await operation(index++);
    const elapsed = performance.now() - start;
    counters.set(name, index);
    if (record) samples.get(name)?.push(elapsed / plan.batch);
  };
  for (let round = 0; round < plan.warmup + plan.samples; round++) {
    for (let k = 0; k < names.length; k++) {
      await run(names[(round + k) % names.length] as string, round >= plan.warmup);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples.get(name) ?? [])]));
}

/** How many operations `timeCases` makes of each case: the size of a pool of fresh inputs. */
export function operationsOf(plan: Plan): number {
  return (plan.warmup + plan.samples) * plan.batch;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Throws unless `condition`: a bench case that does not do its work must not be timed. */
export function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`bench: ${what}`);
}

/**
 * Each case's median per repeat: `repeats` runs of {@link timeCases}, one after the other; a
 * case's operations get indices from 0 to `repeats × operationsOf(plan)`.
 */
export async function timeRepeats(
  cases: Readonly<Record<string, Operation>>,
  plan: Plan,
  repeats: number,
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((n) => [n, []]));
  for (let r = 0; r < repeats; r++) {
    // Each repeat takes the next operationsOf(plan) indices: a pool of fresh inputs is not reused.
    const offset = r * operationsOf(plan);
    const shifted = Object.fromEntries(
      Object.entries(cases).map(([name, operation]) => [
        name,
        (index: number) => operation(offset + index),
      ]),
    );
    const times = await timeCases(shifted, plan);
    for (const [name, ms] of Object.entries(times)) out[name]?.push(ms);
  }
  return out;
}

/**
 * The ratio of two cases over repeats: the median of the per-repeat ratios, and their lowest
 * and highest (the spread a verdict must hold across).
 */
export function ratioOf(
  ours: readonly number[],
  reference: readonly number[],
): { ours: number; reference: number; spread: [number, number] } {
  const ratios = ours.map((ms, i) => ms / (reference[i] as number));
  return {
    ours: median(ours),
    reference: median(ours) / median(ratios),
    spread: [Math.min(...ratios), Math.max(...ratios)],
  };
}
